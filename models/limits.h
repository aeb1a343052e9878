// The limits prepsim puts on its inputs beyond what each key's meaning asks (models/units.h caps every quantity
// by its dimension): what the type holding a value can hold, and what this simulator can run. Each limit is here
// once; the readers that enforce it name it in their errors.
#pragma once

#include <cstdint>
#include <limits>

namespace prepsim::limits {

// Samples are counted in doubles: whole numbers are exact up to 2^53.
inline constexpr double kMaxSamples = 9007199254740992.0;  // 2^53
// Counts held in an int: features of a group, a stage's count.
inline constexpr double kMaxInt = std::numeric_limits<int>::max();
// Chunks a host works on at once (workers_per_host): every worker is a SimGrid actor with its own stack.
inline constexpr double kMaxWorkersPerHost = 100000;
// Batches buffered per trainer replica.
inline constexpr double kMaxPrefetch = 1000000;
// Bytes of one chunk (stored, or the finished batch): SimGrid moves sizes as 64-bit integers.
inline constexpr double kMaxChunkBytes = 1e18;

// Simulator speed, for the estimate of a run's wall time (models/run_estimate.h; docs/inputs.md#limits): seconds
// per simulated activity (an exec, a transfer, a disk read) = kSecondsPerActivity + kSecondsPerActivityPerWorker2
// x workers^2. SimGrid re-solves the sharing of the resources on each event, a cost that grows with the flows in
// progress. Fitted on this project's 2-core VM: `prepsim bench` (100 workers) ran 11 us per activity, the default
// scenario with 2,000 workers 3.5 ms.
inline constexpr double kSecondsPerActivity = 5e-6;
inline constexpr double kSecondsPerActivityPerWorker2 = 8e-10;
// A run estimated to take longer than this is refused unless --force.
inline constexpr double kMaxEstimatedWallSeconds = 3600;

// SimGrid gives every actor a stack mapping and a guard-page mapping; Linux limits the mappings of a process
// (vm.max_map_count). Mappings kept for everything else (libraries, heap, the kernel's own).
inline constexpr int kMappingsPerActor = 2;
inline constexpr int kReservedMappings = 4096;

// A sweep of more points than this is refused before its points are made (split it into several sweep files).
inline constexpr double kMaxSweepPoints = 1000000;
// Wall seconds a sweep point costs besides its simulation (a child process start, reading the scenario):
// docs/sweep.md measures about 55-60 ms.
inline constexpr double kSweepPointOverheadSeconds = 0.06;

}  // namespace prepsim::limits
