#include "models/ops/cpu_dispatch.h"

#include <vector>

namespace prepsim::ops {

namespace {
bool g_forced = false;
Isa g_forced_isa = Isa::Baseline;
}  // namespace

Isa cpu_isa() {
  static const Isa best = [] {
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return Isa::Avx512;
    if (__builtin_cpu_supports("avx2")) return Isa::Avx2;
    return Isa::Baseline;
  }();
  return best;
}

Isa active_isa() { return g_forced ? g_forced_isa : cpu_isa(); }

void force_isa(Isa isa) {
  g_forced = true;
  g_forced_isa = isa;
}

void clear_forced_isa() { g_forced = false; }

std::vector<Isa> supported_isas() {
  std::vector<Isa> out = {Isa::Baseline};
  if (cpu_isa() == Isa::Avx2 || cpu_isa() == Isa::Avx512) out.push_back(Isa::Avx2);
  if (cpu_isa() == Isa::Avx512) out.push_back(Isa::Avx512);
  return out;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Baseline: return "baseline";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
  }
  return "?";
}

}  // namespace prepsim::ops
