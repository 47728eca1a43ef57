using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.Tests.Timeline;

/// <summary>
/// Arrival order and duplicates do not matter (DESIGN.md "Grading is a fold over a patient's timeline"): any
/// shuffle of the courses, with any observations delivered again, gives the same points and the same final grades
/// as the clinical-time order, and never more than one change per cause and scale.
/// </summary>
[Properties(Arbitrary = [typeof(DeliveryArbitraries)], MaxTest = 500)]
public sealed class TimelineProperties
{
    private static readonly Observation[] Course = [.. Trajectories.CrsCourse(), .. Trajectories.IceCourse().Skip(1)];

    [Property]
    public bool Any_arrival_order_with_duplicates_gives_the_same_timeline_and_final_grades(Delivery delivery)
    {
        var inOrder = new PatientGrades();
        foreach (var observation in Course)
        {
            inOrder.Record(observation);
        }

        var shuffled = new PatientGrades();
        var changes = delivery.Order.SelectMany(i => shuffled.Record(Course[i])).ToList();

        return shuffled.Timeline.Points.Select(Key).SequenceEqual(inOrder.Timeline.Points.Select(Key))
            && shuffled.DecidedCrs == inOrder.DecidedCrs
            && shuffled.DecidedIcans == inOrder.DecidedIcans
            && changes.GroupBy(c => (c.Scale, c.Cause.Id)).All(g => g.Count() == 1)
            // every decided change moves the grade: previous is what was decided last
            && changes.Where(c => c.Scale == GradeScale.Crs).Select(c => c.PreviousGrade).Skip(1)
                .SequenceEqual(changes.Where(c => c.Scale == GradeScale.Crs).Select(c => c.NewGrade).SkipLast(1));
    }

    private static (Guid, CrsGrade?, IcansGrade?, int) Key(TimelinePoint point) =>
        (point.Observation.Id, point.Crs, point.Icans, point.State.Episode);

    /// <summary>An arrival order: a permutation of the course's indexes with some of them delivered again.</summary>
    public sealed record Delivery(IReadOnlyList<int> Order)
    {
        public override string ToString() => string.Join(",", Order);
    }

    public static class DeliveryArbitraries
    {
        public static Arbitrary<Delivery> Delivery() =>
            (from order in Gen.Shuffle(Enumerable.Range(0, Course.Length).ToArray())
             from repeats in Gen.ListOf(Gen.Choose(0, Course.Length - 1))
             from positions in Gen.ListOf(Gen.Choose(0, Course.Length), repeats.Count)
             select new Delivery(Insert(order, repeats, positions))).ToArbitrary();

        private static List<int> Insert(int[] order, IEnumerable<int> repeats, IEnumerable<int> positions)
        {
            var result = order.ToList();
            foreach (var (item, position) in repeats.Zip(positions))
            {
                result.Insert(Math.Min(position, result.Count), item);
            }

            return result;
        }
    }
}
