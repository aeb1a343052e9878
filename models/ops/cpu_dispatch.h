// Which instruction set the kernels run with. The build targets baseline x86-64 (the CI machine may differ from
// the build machine), so kernels that gain from wider vectors come in AVX-512, AVX2 and baseline variants and pick
// one at run time: the best the CPU has, or the one a test forces to check every variant against the reference.
#pragma once

#include <vector>

namespace prepsim::ops {

enum class Isa { Baseline, Avx2, Avx512 };

// The best the CPU supports: Avx512 needs AVX-512 F and DQ, Avx2 needs AVX2.
Isa cpu_isa();
// The variant kernels use: cpu_isa(), unless force_isa set one.
Isa active_isa();
// Makes kernels use `isa` (tests only; it must be supported by this CPU). Not thread-safe.
void force_isa(Isa isa);
void clear_forced_isa();
// The variants this CPU can run, baseline first.
std::vector<Isa> supported_isas();
const char* isa_name(Isa isa);

}  // namespace prepsim::ops

// Defines the kernel NAME with parameters PARAMS (parenthesized) and its three variants, each one the inline
// function NAME##_body called with ARGS (parenthesized) and compiled for its instruction set.
#define PREPSIM_DISPATCHED_KERNEL(NAME, PARAMS, ARGS)                                               \
  namespace variants {                                                                              \
  __attribute__((target("avx512f"))) void NAME##_avx512 PARAMS { NAME##_body ARGS; }               \
  __attribute__((target("avx2"))) void NAME##_avx2 PARAMS { NAME##_body ARGS; }                     \
  void NAME##_baseline PARAMS { NAME##_body ARGS; }                                                 \
  }                                                                                                 \
  void NAME PARAMS {                                                                                \
    switch (active_isa()) {                                                                         \
      case Isa::Avx512: return variants::NAME##_avx512 ARGS;                                        \
      case Isa::Avx2: return variants::NAME##_avx2 ARGS;                                            \
      case Isa::Baseline: break;                                                                    \
    }                                                                                               \
    variants::NAME##_baseline ARGS;                                                                 \
  }
