// `prepsim bench`: how fast the engine simulates. Runs a scaled scenario (bench/scaled.yaml: about 100 CPU
// workers, 8 trainers, 60 simulated seconds) in this process and prints simulated activities per wall second,
// wall seconds per simulated second and peak memory. A benchmark, not a test: its figures go in notes.
#pragma once

#include <ostream>
#include <string>

namespace prepsim::analysis {

std::string default_bench_scenario();
int bench_command(const std::string& scenario, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
