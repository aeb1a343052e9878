#include "models/validation/chunk_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>

#include "models/data/chunk_file.h"

namespace prepsim::validation {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

// The `count` lists a sparse or dedup stage reads (count * rows lists, feature-major).
ops::JaggedView input_lists(const PlannedStage& p, const Worker& w) {
  const std::size_t rows = static_cast<std::size_t>(w.decoded.rows);
  const std::size_t n = static_cast<std::size_t>(p.count) * rows;
  if (p.source < 0) {
    const data::KeyedJaggedTensor& kjt = w.decoded.sparse;
    const std::size_t lo = static_cast<std::size_t>(p.first) * rows;
    const auto begin = static_cast<std::size_t>(kjt.offsets[lo]);
    const auto end = static_cast<std::size_t>(kjt.offsets[lo + n]);
    return {std::span<const std::int64_t>(kjt.values).subspan(begin, end - begin),
            std::span<const std::int32_t>(kjt.lengths).subspan(lo, n)};
  }
  const ops::Jagged& src = w.buffers[static_cast<std::size_t>(p.source)].group.sparse;
  if (src.lengths.size() == n) return src.view();
  std::size_t values = 0;
  for (std::size_t i = 0; i < n; ++i) values += static_cast<std::size_t>(src.lengths[i]);
  return {std::span<const std::int64_t>(src.values).subspan(0, values),
          std::span<const std::int32_t>(src.lengths).subspan(0, n)};
}

void run_to_kjt(const PipelinePlan& plan, const PlannedStage& p, Worker& w, StageBuffers& out) {
  const std::size_t rows = static_cast<std::size_t>(w.decoded.rows);
  std::size_t floats = p.passthrough_dense.size() * rows;
  for (int leaf : p.leaves) {
    const PlannedStage& q = plan.stages[static_cast<std::size_t>(leaf)];
    if (q.kind != StageKind::Dense || q.list_output) continue;
    for (const ops::OpOutput& o : w.buffers[static_cast<std::size_t>(leaf)].per_feature) floats += o.dense.size();
  }
  out.dense.resize(floats);
  float* dst = out.dense.data();
  w.lists.clear();
  std::size_t key = 0;
  for (int leaf : p.leaves) {
    const PlannedStage& q = plan.stages[static_cast<std::size_t>(leaf)];
    const StageBuffers& b = w.buffers[static_cast<std::size_t>(leaf)];
    if (q.kind == StageKind::Dense) {
      for (const ops::OpOutput& o : b.per_feature) {
        if (q.list_output) {
          w.lists.push_back({p.kjt_keys[key++], o.sparse.view()});
        } else {
          dst = std::copy(o.dense.begin(), o.dense.end(), dst);
        }
      }
      continue;
    }
    std::size_t pos = 0;  // a sparse group's output: count features of `rows` lists each
    for (int i = 0; i < q.count; ++i) {
      const auto lengths = std::span<const std::int32_t>(b.group.sparse.lengths).subspan(i * rows, rows);
      std::size_t n = 0;
      for (std::int32_t l : lengths) n += static_cast<std::size_t>(l);
      w.lists.push_back({p.kjt_keys[key++], {std::span<const std::int64_t>(b.group.sparse.values).subspan(pos, n), lengths}});
      pos += n;
    }
  }
  for (int c : p.passthrough_dense) {
    const std::vector<float>& v = w.decoded.dense[static_cast<std::size_t>(c)].values;
    dst = std::copy(v.begin(), v.end(), dst);
  }
  const data::KeyedJaggedTensor& kjt = w.decoded.sparse;
  for (int k : p.passthrough_sparse) {
    const std::size_t lo = static_cast<std::size_t>(k) * rows;
    const auto begin = static_cast<std::size_t>(kjt.offsets[lo]);
    const auto end = static_cast<std::size_t>(kjt.offsets[lo + rows]);
    w.lists.push_back({p.kjt_keys[key++], {std::span<const std::int64_t>(kjt.values).subspan(begin, end - begin),
                                           std::span<const std::int32_t>(kjt.lengths).subspan(lo, rows)}});
  }
  ops::to_kjt(w.lists, out.batch);
  w.output_values += out.dense.size() + out.batch.values.size() + out.batch.lengths.size();
}

void run_stage(const PipelinePlan& plan, std::size_t k, Worker& w) {
  const PlannedStage& p = plan.stages[k];
  StageBuffers& out = w.buffers[k];
  switch (p.kind) {
    case StageKind::Read:
    case StageKind::Decode: return;  // done by process_chunk
    case StageKind::Dense: {
      out.per_feature.resize(static_cast<std::size_t>(p.count));
      for (int i = 0; i < p.count; ++i) {
        ops::OpInput in;
        if (p.source < 0) {
          const data::DenseColumn& c = w.decoded.dense[static_cast<std::size_t>(p.first + i)];
          in.dense = c.values;
          in.nulls = c.nulls;
        } else {
          const ops::OpOutput& src = w.buffers[static_cast<std::size_t>(p.source)].per_feature[static_cast<std::size_t>(i)];
          in.dense = src.dense;
          in.nulls = src.nulls;
        }
        ops::run_op(*p.kernel, p.params, in, out.per_feature[static_cast<std::size_t>(i)]);
      }
      return;
    }
    case StageKind::Sparse: {
      ops::OpInput in;
      in.sparse = input_lists(p, w);
      ops::run_op(*p.kernel, p.params, in, out.group);
      return;
    }
    case StageKind::Dedup: {
      // dedup takes a KJT. When it reads a whole sparse stage's output (a hash of the same features), those lists
      // become the KJT's by swapping buffers, as a pipeline whose ops pass KJTs along would hand them over; only
      // the offsets are computed. Lists that are part of a larger buffer (the decoded KJT) are copied.
      ops::Jagged* whole = nullptr;
      if (p.source >= 0) {
        ops::Jagged& src = w.buffers[static_cast<std::size_t>(p.source)].group.sparse;
        if (src.lengths.size() == static_cast<std::size_t>(p.count) * static_cast<std::size_t>(w.decoded.rows)) {
          whole = &src;
        }
      }
      out.kjt.keys = p.dedup_keys;
      if (whole != nullptr) {
        out.kjt.values.swap(whole->values);
        out.kjt.lengths.swap(whole->lengths);
      } else {
        const ops::JaggedView lists = input_lists(p, w);
        out.kjt.values.assign(lists.values.begin(), lists.values.end());
        out.kjt.lengths.assign(lists.lengths.begin(), lists.lengths.end());
      }
      out.kjt.offsets.resize(out.kjt.lengths.size() + 1);
      ops::lengths_to_offsets(out.kjt.lengths, out.kjt.offsets);
      out.kjt.stride = w.decoded.rows;
      ops::dedup(out.kjt, out.ikjt, &out.scratch);
      if (whole != nullptr) {  // hand the buffers back: the source reuses them for the next chunk
        out.kjt.values.swap(whole->values);
        out.kjt.lengths.swap(whole->lengths);
      }
      w.output_values += out.ikjt.unique.values.size() + out.ikjt.unique.lengths.size() + out.ikjt.inverse.size();
      return;
    }
    case StageKind::ToKjt: return run_to_kjt(plan, p, w, out);
  }
}

// Order-sensitive 64-bit hash of everything a chunk produced.
struct Hasher {
  std::uint64_t h = 0x84222325cbf29ce4ULL;
  void word(std::uint64_t x) {
    h = (h ^ x) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  template <class T>
  void range(const std::vector<T>& v) {
    word(v.size());
    const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
    const std::size_t n = v.size() * sizeof(T);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, bytes + i, 8);
      word(x);
    }
    if (i < n) {
      std::uint64_t tail = 0;
      std::memcpy(&tail, bytes + i, n - i);
      word(tail);
    }
  }
  void op_output(const ops::OpOutput& o) {
    range(o.dense), range(o.nulls), range(o.sparse.values), range(o.sparse.lengths);
  }
  void kjt(const data::KeyedJaggedTensor& k) {
    for (const std::string& key : k.keys) range(std::vector<char>(key.begin(), key.end()));
    range(k.values), range(k.lengths), range(k.offsets), word(static_cast<std::uint64_t>(k.stride));
  }
};

}  // namespace

void read_chunk_bytes(const std::string& path, std::vector<std::uint8_t>& buffer) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot stat {}: {}", path, std::strerror(errno)));
  }
  buffer.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + done, buffer.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error(fmt::format("cannot read {}: {}", path, n < 0 ? std::strerror(errno) : "short read"));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

std::uint64_t chunk_checksum(const Worker& w) {
  Hasher h;
  for (const StageBuffers& b : w.buffers) {
    for (const ops::OpOutput& o : b.per_feature) h.op_output(o);
    h.op_output(b.group);
    h.kjt(b.ikjt.unique);
    h.range(b.ikjt.inverse);
    h.range(b.dense);
    h.kjt(b.batch);
  }
  return h.h;
}

std::uint64_t combine_checksums(const std::vector<std::uint64_t>& sums) {
  Hasher h;
  for (std::uint64_t s : sums) h.word(s);
  return h.h;
}

void reset_worker(const PipelinePlan& plan, Worker& w) {
  w.buffers.resize(plan.stages.size());
  w.stage_ns.assign(plan.stages.size(), 0);
  w.busy_ns = w.rows = 0;
  w.bytes_read = w.output_values = 0;
}

void process_chunk(const PipelinePlan& plan, const std::string& path, Worker& w) {
  const Clock::time_point start = Clock::now();
  Clock::time_point t = start;
  read_chunk_bytes(path, w.bytes);
  w.stage_ns[0] += ns_since(t);
  t = Clock::now();
  w.decoded = data::decode_chunk(w.bytes);
  w.stage_ns[1] += ns_since(t);
  for (std::size_t k = 2; k < plan.stages.size(); ++k) {
    t = Clock::now();
    run_stage(plan, k, w);
    w.stage_ns[k] += ns_since(t);
  }
  w.busy_ns += ns_since(start);
  w.rows += w.decoded.rows;
  w.bytes_read += w.bytes.size();
}


}  // namespace prepsim::validation
