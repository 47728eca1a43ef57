using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Toxicity.Grading.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
