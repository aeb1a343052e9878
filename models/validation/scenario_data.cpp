#include "models/validation/scenario_data.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "models/data/chunk_file.h"
#include "models/data/generator.h"
#include "models/validation/thread_pool.h"

namespace prepsim::validation {

namespace fs = std::filesystem;

data::DatasetSpec spec_from_scenario(const Scenario& scenario) {
  const Dataset& d = scenario.dataset;
  data::DatasetSpec spec;
  spec.rows_per_chunk = d.batch_size;
  for (const DenseGroup& g : d.dense) {
    data::DenseGroupSpec s;
    s.name = g.name;
    s.count = g.count;
    s.null_fraction = g.null_fraction;
    s.distribution = data::ValueDistribution::Lognormal;
    s.mu = kDenseMu;
    s.sigma = kDenseSigma;
    s.integer = true;
    spec.dense.push_back(s);
  }
  for (const SparseGroup& g : d.sparse) {
    data::SparseGroupSpec s;
    s.name = g.name;
    s.count = g.count;
    s.mean_length = g.mean_length;
    if (g.length_distribution == "fixed") {
      s.length_distribution = data::LengthDistribution::Fixed;
    } else if (g.length_distribution == "poisson") {
      s.length_distribution = data::LengthDistribution::Poisson;
    } else {
      throw std::invalid_argument(
          fmt::format("sparse group '{}': unknown length distribution '{}'", g.name, g.length_distribution));
    }
    s.cardinality = kRawIdCardinality;
    s.zipf_exponent = kRawIdZipf;
    s.duplication = g.duplication;
    spec.sparse.push_back(s);
  }
  data::validate(spec);
  return spec;
}

std::string dataset_fingerprint(const data::DatasetSpec& spec, std::uint64_t seed, int zstd_level) {
  std::string fp = fmt::format("format={} zstd={} seed={} rows={} session={}", data::kChunkFormatVersion, zstd_level,
                               seed, spec.rows_per_chunk, spec.mean_session_length);
  for (const data::DenseGroupSpec& g : spec.dense) {
    fp += fmt::format(" dense({},{},{},{},{},{},{},{},{})", g.name, g.count, g.null_fraction,
                      static_cast<int>(g.distribution), g.mu, g.sigma, g.lo, g.hi, g.integer ? 1 : 0);
  }
  for (const data::SparseGroupSpec& g : spec.sparse) {
    fp += fmt::format(" sparse({},{},{},{},{},{},{})", g.name, g.count, g.mean_length,
                      static_cast<int>(g.length_distribution), g.cardinality, g.zipf_exponent, g.duplication);
  }
  return fp;
}

namespace {

constexpr const char* kManifestHeader = "prepsim-validation-dataset 1";

struct Entry {
  std::uint64_t bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::int64_t rows = 0;
};

// Entries of dir/manifest.txt by file name; empty when the manifest is missing or has another fingerprint.
std::map<std::string, Entry> read_manifest(const fs::path& path, const std::string& fingerprint) {
  std::map<std::string, Entry> entries;
  std::ifstream in(path);
  std::string header, fp;
  if (!std::getline(in, header) || header != kManifestHeader) return entries;
  if (!std::getline(in, fp) || fp != "fingerprint " + fingerprint) return entries;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    Entry e;
    if (fields >> name >> e.bytes >> e.raw_bytes >> e.rows) entries[name] = e;
  }
  return entries;
}

void write_manifest(const fs::path& path, const std::string& fingerprint, const std::map<std::string, Entry>& entries) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kManifestHeader << "\nfingerprint " << fingerprint << "\n";
    for (const auto& [name, e] : entries) out << name << ' ' << e.bytes << ' ' << e.raw_bytes << ' ' << e.rows << '\n';
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
  }
  fs::rename(tmp, path);
}

bool reusable(const fs::path& file, const std::map<std::string, Entry>& entries) {
  auto it = entries.find(file.filename().string());
  std::error_code ec;
  if (it == entries.end() || !fs::is_regular_file(file, ec)) return false;
  return fs::file_size(file, ec) == it->second.bytes && !ec;
}

}  // namespace

PreparedDataset prepare_dataset(const Scenario& scenario, const std::string& dir, int chunks, std::uint64_t seed,
                                int threads) {
  if (chunks < 1) throw std::invalid_argument(fmt::format("chunks must be >= 1, got {}", chunks));
  const data::DatasetSpec spec = spec_from_scenario(scenario);
  const std::string fingerprint = dataset_fingerprint(spec, seed, data::kDefaultZstdLevel);
  const fs::path root(dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir, ec.message()));
  const fs::path manifest = root / "manifest.txt";
  std::map<std::string, Entry> entries = read_manifest(manifest, fingerprint);

  PreparedDataset out;
  std::vector<std::int64_t> missing;
  for (int i = 0; i < chunks; ++i) {
    const fs::path file = root / fmt::format("chunk_{:06d}.pcf", i);
    out.files.push_back(file.string());
    if (!reusable(file, entries)) missing.push_back(i);
  }
  // Entries that no longer describe their file are dropped before anything is rewritten.
  for (auto it = entries.begin(); it != entries.end();) {
    it = reusable(root / it->first, entries) ? std::next(it) : entries.erase(it);
  }
  if (!missing.empty()) {
    const unsigned hw = std::thread::hardware_concurrency();
    const int n = threads > 0 ? threads : static_cast<int>(hw > 0 ? hw : 1);
    ThreadPool pool(std::min<int>(n, static_cast<int>(missing.size())));
    std::mutex mutex;
    for_each_index(pool, static_cast<std::int64_t>(missing.size()), [&](std::int64_t k, int) {
      const std::int64_t index = missing[static_cast<std::size_t>(k)];
      const data::ColumnarBatch batch = data::generate_chunk(spec, seed, index);
      const std::string& path = out.files[static_cast<std::size_t>(index)];
      data::write_chunk_file(path, batch);
      Entry e{static_cast<std::uint64_t>(fs::file_size(path)), data::raw_columnar_bytes(batch), batch.rows};
      std::lock_guard<std::mutex> lock(mutex);
      entries[fs::path(path).filename().string()] = e;
    });
    out.generated = static_cast<int>(missing.size());
    write_manifest(manifest, fingerprint, entries);
  }
  for (const std::string& path : out.files) {
    const Entry& e = entries.at(fs::path(path).filename().string());
    out.bytes += e.bytes;
    out.raw_bytes += e.raw_bytes;
    out.rows += e.rows;
  }
  return out;
}

}  // namespace prepsim::validation
