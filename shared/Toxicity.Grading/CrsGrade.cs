namespace Toxicity.Grading;

/// <summary>
/// An ASTCT 2019 CRS grade (CLINICAL-RULES.md §1.1): 0 is no CRS, 5 is death due to CRS.
/// </summary>
public enum CrsGrade
{
    None = 0,
    Grade1 = 1,
    Grade2 = 2,
    Grade3 = 3,
    Grade4 = 4,
    Grade5 = 5,
}
