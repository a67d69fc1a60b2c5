// The tests of this assembly start GCMs, servers and child processes and assert on the timings of the test profile
// (hundreds of milliseconds): they run one at a time, so that they do not starve each other on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
