using BenchmarkDotNet.Attributes;

namespace Toxicity.Grading.Benchmarks;

/// <summary>
/// One evaluation of the three scales (ASTCT CRS, ASTCT ICANS, CTCAE CRS) on one thread, for snapshots that take
/// the engine's cheap and expensive paths. Issue 4 asks for at least 1 million evaluations per second on one core.
/// </summary>
[MemoryDiagnoser]
public class GradingEngineBenchmarks
{
    private static readonly Assessment Afebrile = new() { AgeYears = 45, TemperatureC = 37.1, IceScore = 10, Consciousness = Consciousness.AwakensSpontaneously };

    private static readonly Assessment SevereAdult = new()
    {
        AgeYears = 62, TemperatureC = 39.4, Hypotension = Hypotension.MultipleVasopressors, Oxygen = OxygenSupport.HighFlowNasalCannula,
        OxygenFlowLPerMin = 40, Fio2Percent = 60, IceScore = 2, Consciousness = Consciousness.AwakensToTactile,
        Seizure = Seizure.FocalOrGeneralizedResolvedRapidly, CerebralEdema = CerebralEdema.FocalLocal,
    };

    private static readonly Assessment MaskedChild = new()
    {
        AgeYears = 7, TemperatureC = 37.4, FeverMaskedByTreatment = true, Hypotension = Hypotension.FluidResponsive,
        Oxygen = OxygenSupport.LowFlowNasalCannula, OxygenFlowLPerMin = 2, CapdScore = 11, Consciousness = Consciousness.AwakensToVoice,
    };

    [Benchmark(Baseline = true)]
    public GradingResult AfebrileAdult() => GradingEngine.Evaluate(Afebrile);

    [Benchmark]
    public GradingResult SevereAdultAllDomains() => GradingEngine.Evaluate(SevereAdult);

    [Benchmark]
    public GradingResult MaskedFeverChild() => GradingEngine.Evaluate(MaskedChild);
}
