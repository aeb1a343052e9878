// The size search of `prepsim plan`: see plan_search.h for the phases.
#include "analysis/plan/plan_search.h"

#include <algorithm>
namespace prepsim::analysis {

SizeSearch::SizeSearch(int floor, int lower, int all, int seeds, bool all_met)
    : floor_(std::clamp(floor, 1, std::max(all, 1))),
      lower_(std::clamp(lower, floor_, std::max(all, 1))),
      all_(std::max(all, 1)),
      seeds_(std::max(seeds, 1)) {
  known_[{all_, 0}] = all_met;
  settle();
}

bool SizeSearch::known(int n, int seed, bool* met) const {
  auto it = known_.find({n, seed});
  if (it == known_.end()) return false;
  *met = it->second;
  return true;
}

// The seed-0 interval still open: lo = the lowest size not known to fail, hi = the lowest known to meet.
static std::pair<int, int> interval(const std::map<Probe, bool>& known, int lower) {
  int hi = -1, lo = lower;
  for (const auto& [p, met] : known) {
    if (p.seed == 0 && met && (hi < 0 || p.n < hi)) hi = p.n;
  }
  for (const auto& [p, met] : known) {
    if (p.seed == 0 && !met && p.n < hi) lo = std::max(lo, p.n + 1);
  }
  return {std::min(lo, hi), hi};
}

void SizeSearch::settle() {
  while (!done_) {
    if (confirm_ > 0) {
      bool all_known = true, failed = false;
      for (int k = 0; k < seeds_; ++k) {
        bool m = false;
        if (!known(confirm_, k, &m)) {
          all_known = false;
        } else if (!m) {
          failed = true;
        }
      }
      if (failed) {
        if (++confirm_ > all_) {
          done_ = true;
          answer_ = all_;
        }
        continue;
      }
      if (all_known) {
        done_ = met_ = true;
        answer_ = confirm_;
      }
      return;
    }
    bool m = false;
    if (known(all_, 0, &m) && !m) {  // all hosts do not meet the goal with seed 0
      done_ = true;
      answer_ = all_;
      return;
    }
    auto [lo, hi] = interval(known_, lower_);
    if (hi < lower_) {  // met below the analytic bound: it was not tight, search down to the floor
      lower_ = floor_;
      continue;
    }
    if (lo < hi) return;  // binary search continues
    if (hi == lower_ && lower_ > floor_ && !lower_checked_) {
      if (!known(hi - 1, 0, &m)) return;  // next() asks for lower - 1
      if (m) continue;  // met below the bound: handled above on the next turn
      lower_checked_ = true;
    }
    confirm_ = hi;
  }
}

std::vector<Probe> SizeSearch::next(int slots) {
  std::vector<Probe> out;
  if (done_) return out;
  auto take = [&](Probe p) {
    if (static_cast<int>(out.size()) >= slots || pending_.count(p) || known_.count(p)) return false;
    pending_.insert(p);
    out.push_back(p);
    return true;
  };
  if (confirm_ > 0) {
    for (int k = 0; k < seeds_; ++k) take({confirm_, k});
    return out;
  }
  auto [lo, hi] = interval(known_, lower_);
  if (lo >= hi) {
    take({hi - 1, 0});  // lower - 1, to check the analytic bound
    return out;
  }
  while (static_cast<int>(out.size()) < slots) {
    std::vector<int> points = {lo - 1, hi};
    for (const Probe& p : pending_) {
      if (p.seed == 0 && p.n >= lo && p.n < hi) points.push_back(p.n);
    }
    std::sort(points.begin(), points.end());
    int best_a = 0, best_gap = 1;
    for (std::size_t i = 1; i < points.size(); ++i) {
      if (points[i] - points[i - 1] > best_gap) {
        best_gap = points[i] - points[i - 1];
        best_a = points[i - 1];
      }
    }
    if (best_gap < 2) break;
    if (!take({(2 * best_a + best_gap + 1) / 2, 0})) break;
  }
  return out;
}

void SizeSearch::report(const Probe& p, bool met) {
  pending_.erase(p);
  known_[p] = met;
  settle();
}

std::string SizeSearch::below(int* seed) const {
  *seed = -1;
  if (!met_) return "";
  if (answer_ == 1) return "none below";
  if (answer_ - 1 < floor_) return "dataset capacity";
  for (int k = 0; k < seeds_; ++k) {
    bool m = true;
    if (known(answer_ - 1, k, &m) && !m) {
      *seed = k;
      return "simulated";
    }
  }
  return "";  // cannot happen: the search always has evidence for answer - 1
}

}  // namespace prepsim::analysis
