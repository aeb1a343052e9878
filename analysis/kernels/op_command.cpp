#include "analysis/kernels/op_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "models/op_registry.h"
#include "models/ops/op_params.h"
#include "models/ops/run_op.h"

namespace prepsim::analysis {

namespace {

// Thrown on bad input; run_op_command turns it into the one-line error and exit code 2.
struct BadInput {
  std::string message;
};

std::string runnable_ops() {
  std::string names;
  for (const OpInfo& op : all_ops()) {
    if (!ops::kernel_op(op.name)) continue;
    names += (names.empty() ? "" : ", ") + std::string(op.name);
  }
  return names;
}

std::string flags_of(const OpInfo& op) {
  if (op.params.empty()) return "no flags";
  std::string out;
  for (std::string_view p : op.params) out += fmt::format("{}--{}", out.empty() ? "" : ", ", p);
  return out;
}

// A dense op with a parameter n writes n values per input value (onehot): one output line per value.
bool n_values_per_value(const OpInfo& op) {
  return op.layout == Layout::DenseToDense && std::find(op.params.begin(), op.params.end(), "n") != op.params.end();
}

std::string_view values_kind(const OpInfo& op) {
  switch (op.layout) {
    case Layout::FeaturesToKjt:
    case Layout::FeaturesToInverseKjt: return "id lists, one per sample: [1,2] [] [3]";
    case Layout::ListsToLists:  // ops that change the lists' lengths take them as lists, the others as ids
      return op.shape != nullptr ? "one id list (bare ids) or several [..] lists" : "int64 ids";
    case Layout::DenseOrLists: return "ids (all integers) or float32 values";
    default: return "float32 values or null";
  }
}

std::string op_help(const OpInfo& info) {
  std::string out = fmt::format("{}: {}\nusage: prepsim op {}", info.name, info.summary, info.name);
  for (std::string_view p : info.params) {
    const ops::ParamInfo* param = ops::find_param(p);
    out += fmt::format(fmt::runtime(param->default_text.empty() ? " --{} {}" : " [--{} {}]"), p,
                       ops::type_name(param->type));
  }
  out += fmt::format(" [--] VALUES...\nVALUES: {}\n", values_kind(info));
  for (std::string_view p : info.params) {
    const ops::ParamInfo* param = ops::find_param(p);
    out += fmt::format("  --{:<7} {:<12} {} ({})\n", p, ops::type_name(param->type), param->meaning,
                       param->default_text.empty() ? "required" : "default " + std::string(param->default_text));
  }
  if (!info.example.args.empty()) {
    const OpExample& ex = info.example;
    std::string words;
    for (std::string_view a : ex.args) {
      words += ' ';
      words += a;
    }
    out += fmt::format("example: prepsim op {}{}\n  {}\n", info.name, words, [&] {
      std::string o(ex.output);
      std::replace(o.begin(), o.end(), '\n', '|');
      return o.empty() ? o : o.substr(0, o.size() - 1);
    }());
  }
  return out;
}

std::string general_help() {
  std::string out =
      "usage: prepsim op NAME [--PARAM value ...] [--] VALUES...\n"
      "Runs one preprocessing kernel (the optimized one prepsim calibrates) on VALUES and prints the result,\n"
      "space-separated, one line per input list ('|' below marks a line break). Lists are written [1,2,3];\n"
      "negative values go after --; `null` is a missing dense value. Semantics: docs/ops.md.\n"
      "'prepsim op NAME --help' shows one op.\n\nops:\n";
  for (const OpInfo& info : all_ops()) {
    if (info.kernel == nullptr) continue;
    std::string flags;
    for (std::string_view p : info.params) {
      const ops::ParamInfo* param = ops::find_param(p);
      flags += param->default_text.empty()
                   ? fmt::format(" --{} {}", p, ops::type_name(param->type))
                   : fmt::format(" [--{} {}={}]", p, ops::type_name(param->type), param->default_text);
    }
    out += fmt::format("  {:<12} {}\n  {:<12} {}\n", info.name, flags.empty() ? "(no flags)" : flags.substr(1), "",
                       info.summary);
  }
  return out;
}

// VALUES as lists: bracketed groups, or all bare words as one list (to_kjt and dedup: one sample per word).
std::vector<std::vector<std::string>> group_values(const std::vector<std::string>& words, const OpInfo& op) {
  std::vector<std::vector<std::string>> groups;
  bool bare = false;
  bool bracketed = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].starts_with("[")) {
      std::string text = words[i];
      while (!text.ends_with("]") && i + 1 < words.size()) text += " " + words[++i];
      std::vector<std::string_view> items;
      if (!ops::split_list(text, &items)) throw BadInput{fmt::format("'{}' is not a list like [1,2,3]", text)};
      groups.emplace_back(items.begin(), items.end());
      bracketed = true;
    } else {
      if (takes_features(op.layout)) {
        groups.push_back({words[i]});
      } else {
        if (!bare) groups.emplace_back();
        groups.back().push_back(words[i]);
      }
      bare = true;
    }
  }
  if (bare && bracketed) throw BadInput{"VALUES mix bare numbers and [lists]; write every list in brackets"};
  if (groups.empty()) throw BadInput{"no VALUES given (e.g. prepsim op NAME [--PARAM value] -- 1 2 3)"};
  return groups;
}

std::int64_t parse_id(const std::string& word, std::string_view op) {
  std::int64_t v = 0;
  if (!ops::parse_int(word, &v)) throw BadInput{fmt::format("value '{}' is not an int64 id ({} takes ids)", word, op)};
  return v;
}

std::string id_line(std::span<const std::int64_t> ids) { return fmt::format("{}", fmt::join(ids, " ")); }

std::string list_text(std::span<const std::int64_t> ids) { return fmt::format("[{}]", fmt::join(ids, ",")); }

// Runs `op` on one dense list and returns its output lines.
std::string run_dense(const OpInfo& op, const ops::OpParams& params, const std::vector<std::string>& words,
                      std::string_view name) {
  std::vector<float> values;
  std::vector<std::uint8_t> nulls;
  for (const std::string& w : words) {
    float v = 0;
    const bool null = w == "null";
    if (!null && !ops::parse_float(w, &v)) {
      throw BadInput{fmt::format("value '{}' is not a number ({} takes float32 values or null)", w, name)};
    }
    values.push_back(v);
    nulls.push_back(null ? 1 : 0);
  }
  if (n_values_per_value(op) && static_cast<double>(values.size()) * static_cast<double>(params.n) > 1e7) {
    throw BadInput{fmt::format("{} with --n {} would print {} values per input value; use n <= {}", name, params.n,
                               params.n, static_cast<std::int64_t>(1e7 / static_cast<double>(values.size())))};
  }
  ops::OpInput in;
  in.dense = values;
  in.nulls = nulls;
  ops::OpOutput out;
  if (std::string e = ops::check_op_call(op, params, in); !e.empty()) throw BadInput{fmt::format("{}: {}", name, e)};
  ops::run_op(op, params, in, out);
  std::string text;
  if (n_values_per_value(op)) {
    const auto n = static_cast<std::size_t>(params.n);
    for (std::size_t r = 0; r < values.size(); ++r) {
      text += fmt::format("{}\n", fmt::join(std::span<const float>(out.dense).subspan(r * n, n), " "));
    }
    return text;
  }
  std::vector<std::string> cells;
  std::size_t id = 0;
  for (std::size_t r = 0; r < values.size(); ++r) {
    if (op.layout == Layout::DenseToLists) {
      cells.push_back(out.sparse.lengths[r] == 0 ? "null" : fmt::format("{}", out.sparse.values[id++]));
    } else {
      cells.push_back(out.nulls[r] ? "null" : fmt::format("{}", out.dense[r]));
    }
  }
  return fmt::format("{}\n", fmt::join(cells, " "));
}

// Runs a sparse op on all groups (one list each) and returns its output lines.
std::string run_sparse(const OpInfo& op, const ops::OpParams& params, const std::vector<std::vector<std::string>>& groups,
                       std::string_view name) {
  ops::Jagged lists;
  for (const auto& g : groups) {
    for (const std::string& w : g) lists.values.push_back(parse_id(w, name));
    lists.lengths.push_back(static_cast<std::int32_t>(g.size()));
  }
  ops::OpInput in;
  in.sparse = lists.view();
  ops::OpOutput out;
  if (std::string e = ops::check_op_call(op, params, in); !e.empty()) throw BadInput{fmt::format("{}: {}", name, e)};
  ops::run_op(op, params, in, out);
  if (op.layout == Layout::FeaturesToKjt) {
    return fmt::format("values: {}\nlengths: {}\noffsets: {}\n", id_line(out.kjt.values),
                       fmt::join(out.kjt.lengths, " "), id_line(out.kjt.offsets));
  }
  if (op.layout == Layout::FeaturesToInverseKjt) {
    const data::KeyedJaggedTensor& u = out.ikjt.unique;
    std::vector<std::string> rows;
    for (std::size_t r = 0; r < static_cast<std::size_t>(u.stride); ++r) {
      rows.push_back(list_text(std::span<const std::int64_t>(u.values).subspan(
          static_cast<std::size_t>(u.offsets[r]), static_cast<std::size_t>(u.lengths[r]))));
    }
    return fmt::format("unique: {}\ninverse: {}\n", fmt::join(rows, " "), fmt::join(out.ikjt.inverse, " "));
  }
  std::string text;
  std::size_t pos = 0;
  for (std::int32_t len : out.sparse.lengths) {
    text +=
        id_line(std::span<const std::int64_t>(out.sparse.values).subspan(pos, static_cast<std::size_t>(len))) + "\n";
    pos += static_cast<std::size_t>(len);
  }
  return text;
}

bool all_ints(const std::vector<std::vector<std::string>>& groups) {
  for (const auto& g : groups) {
    for (const std::string& w : g) {
      std::int64_t v = 0;
      if (!ops::parse_int(w, &v)) return false;
    }
  }
  return true;
}

bool looks_numeric(const std::string& word) {
  double v = 0;
  return ops::parse_double(word, &v);
}

std::string run(const std::vector<std::string>& args) {
  if (args.empty())
    throw BadInput{
        "missing op name; usage: prepsim op NAME [--PARAM value ...] [--] VALUES... "
        "(prepsim op --help lists the ops)"};
  if (args[0] == "--help" || args[0] == "-h") {
    return general_help();
  }
  const std::string& name = args[0];
  const OpInfo* info = find_op(name);
  if (info == nullptr) throw BadInput{fmt::format("unknown op '{}' (valid: {})", name, runnable_ops())};
  const OpInfo* op = ops::kernel_op(name);
  if (op == nullptr) throw BadInput{fmt::format("op '{}' has no kernel to run here (prepsim op runs: {})", name, runnable_ops())};

  ops::OpParams params;
  std::set<std::string> given;
  std::vector<std::string> words;
  bool values_only = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!values_only && a == "--") {
      values_only = true;
    } else if (!values_only && (a == "--help" || a == "-h")) {
      return op_help(*info);
    } else if (!values_only && a.starts_with("--")) {
      std::string flag = a.substr(2);
      std::string value;
      const std::size_t eq = flag.find('=');
      if (eq != std::string::npos) {
        value = flag.substr(eq + 1);
        flag.resize(eq);
      }
      const bool known = ops::find_param(flag) != nullptr;
      if (std::find(info->params.begin(), info->params.end(), flag) == info->params.end()) {
        throw BadInput{
            known ? fmt::format("--{} is not a parameter of {} ({} takes {})", flag, name, name, flags_of(*info))
                  : fmt::format("unknown flag '--{}' ({} takes {})", flag, name, flags_of(*info))};
      }
      if (given.count(flag)) throw BadInput{fmt::format("--{} given twice", flag)};
      if (eq == std::string::npos) {
        if (i + 1 >= args.size()) {
          throw BadInput{fmt::format("--{} needs a value ({})", flag, ops::type_name(ops::find_param(flag)->type))};
        }
        value = args[++i];
        while (value.starts_with("[") && !value.ends_with("]") && i + 1 < args.size()) value += " " + args[++i];
      }
      if (std::string e = ops::parse_param(flag, value, params); !e.empty()) throw BadInput{e};
      given.insert(flag);
    } else if (!values_only && a.size() > 1 && a[0] == '-' && !looks_numeric(a)) {
      throw BadInput{
          fmt::format("unknown flag '{}' ({} takes {}; put negative values after --)", a, name, flags_of(*info))};
    } else {
      words.push_back(a);
    }
  }
  for (std::string_view p : info->params) {
    const ops::ParamInfo* param = ops::find_param(p);
    if (param->default_text.empty() && !given.count(std::string(p))) {
      throw BadInput{fmt::format("{} needs --{} {} ({})", name, p, ops::type_name(param->type), param->meaning)};
    }
  }
  if (std::string e = ops::check_params(name, params); !e.empty()) throw BadInput{fmt::format("{}: {}", name, e)};

  const auto groups = group_values(words, *op);
  const bool dense = can_read_dense(op->layout) && (op->layout != Layout::DenseOrLists || !all_ints(groups));
  if (!dense) return run_sparse(*op, params, groups, name);
  std::string text;
  for (const auto& g : groups) text += run_dense(*op, params, g, name);
  return text;
}

}  // namespace

int run_op_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    const std::string text = run(args);
    out << text;
    return 0;
  } catch (const BadInput& bad) {
    err << "prepsim op: " << bad.message << "\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
