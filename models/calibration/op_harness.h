// How `prepsim calibrate` drives one op's real kernel: build inputs for a grid point, run the kernel once.
//
// The runner (runner.h) only sees this interface, so it can time any op the same way. Each harness owns its
// inputs and outputs (kept between runs so nothing is optimized away) and reports, after a run, the OpWork of the
// call as the cost model sees it (rows, input elements, output elements, borders) and the bytes it produced.
//
// Grid axes, varied independently (docs/calibration.md):
//   rows   samples in the batch;
//   width  mean list length of the one sparse feature (sparse ops; lengths uniform in [0, 2*width]), or the
//          number of dense features (dense ops);
//   param  the op's own size parameter: borders (bucketize), n (ngram, onehot), x (firstx), map size (mapid),
//          features (to_kjt, dedup), the chunk's shape (decode: an index into its list of shapes); ops without one
//          have a single dummy value.
// What is op-specific (the size axis and its values, fixed parameters, cap, expected work, a harness of its own)
// is in the op's row of the op table (OpGridFacet, models/op_registry.h); this file has no list of ops.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/op_registry.h"

namespace prepsim::calibration {

struct GridPoint {
  std::int64_t rows = 0;
  std::int64_t width = 0;
  double param = 0;
};

// OpGrid: the values of each axis for one op. The grid is their Cartesian product minus the points whose working
// set would leave the caches: a point is kept when rows * (values_per_row + values_per_width * width), times
// param when `param_scales_values` (onehot's n outputs per value), is at most max_values (docs/calibration.md:
// memory traffic is the memory-bandwidth model's job, not the op's coefficients). Ops that only ever run on whole
// chunks (decode) list their points instead (`listed`), chosen at chunk sizes.
struct OpGrid {
  std::vector<std::int64_t> rows;
  std::vector<std::int64_t> widths;
  std::vector<double> params;  // one dummy value (0) when the op has no size parameter
  std::string param_name;      // "" when none
  double values_per_row = 0;
  double values_per_width = 1;
  bool param_scales_values = false;
  double max_values = 0;       // 0: no cap
  GridPoint reference;         // where output bytes per input element are recorded
  std::vector<GridPoint> listed;  // when not empty: the grid is exactly these points

  std::vector<GridPoint> points() const;
};

class OpHarness {
 public:
  virtual ~OpHarness() = default;
  virtual std::string_view op() const = 0;
  // Builds the inputs (deterministic: seeded from the grid point). May be slow; never timed.
  virtual void prepare(const GridPoint& point) = 0;
  // One kernel call over the prepared inputs. This is what is timed.
  virtual void run_once() = 0;
  // After at least one run_once(): the work of that call, and the bytes of its output (all buffers).
  virtual OpWork work() const = 0;
  virtual double output_bytes() const = 0;
};

// The ops that have a kernel harness, in the order of all_ops(). `read` never has one (a disk read, no CPU).
std::vector<std::string> harnessed_ops();
// The row's own harness, else the generic run_op one when the op has a kernel; nullptr otherwise (read, unknown).
std::unique_ptr<OpHarness> make_harness(std::string_view op);
// The grid for `op` (throws std::logic_error for an unknown op): the full calibration grid, or a tiny one (`quick`, for tests). Either has at least twice as
// many points as the op's signature has terms.
OpGrid grid_for(std::string_view op, bool quick);

// The expected work of a grid point of `op` (list lengths at their mean, bytes as the model counts them), for
// checking a grid's design before timing it.
OpWork nominal_work(std::string_view op, const OpGrid& grid, const GridPoint& point);

}  // namespace prepsim::calibration
