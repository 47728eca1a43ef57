namespace Toxicity.Grading;

/// <summary>An ASTCT 2019 ICANS grade (CLINICAL-RULES.md §2): 0 is no ICANS, 5 is death due to ICANS.</summary>
public enum IcansGrade
{
    None = 0,
    Grade1 = 1,
    Grade2 = 2,
    Grade3 = 3,
    Grade4 = 4,
    Grade5 = 5,
}
