#include "analysis/op_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "models/op_registry.h"
#include "models/ops/op_params.h"
#include "models/ops/run_op.h"

namespace prepsim::analysis {

namespace {

using ops::KernelOp;

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

std::string_view values_kind(KernelOp op) {
  switch (op) {
    case KernelOp::ToKjt:
    case KernelOp::Dedup: return "id lists, one per sample: [1,2] [] [3]";
    case KernelOp::Firstx:
    case KernelOp::Ngram: return "one id list (bare ids) or several [..] lists";
    case KernelOp::SigridHash:
    case KernelOp::Mapid: return "int64 ids";
    case KernelOp::Clamp: return "ids (all integers) or float32 values";
    default: return "float32 values or null";
  }
}

std::string op_help(const OpInfo& info, KernelOp op) {
  std::string out = fmt::format("{}: {}\nusage: prepsim op {}", info.name, info.summary, info.name);
  for (std::string_view p : info.params) {
    const ops::ParamInfo* param = ops::find_param(p);
    out += fmt::format(fmt::runtime(param->default_text.empty() ? " --{} {}" : " [--{} {}]"), p,
                       ops::type_name(param->type));
  }
  out += fmt::format(" [--] VALUES...\nVALUES: {}\n", values_kind(op));
  for (std::string_view p : info.params) {
    const ops::ParamInfo* param = ops::find_param(p);
    out += fmt::format("  --{:<7} {:<12} {} ({})\n", p, ops::type_name(param->type), param->meaning,
                       param->default_text.empty() ? "required" : "default " + std::string(param->default_text));
  }
  for (const OpExample& ex : op_examples()) {
    if (ex.op != info.name) continue;
    std::string words;
    for (const std::string& a : ex.args) words += " " + a;
    out += fmt::format("example: prepsim op {}{}\n  {}\n", ex.op, words, [&] {
      std::string o = ex.output;
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
    const auto op = ops::kernel_op(info.name);
    if (!op) continue;
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
std::vector<std::vector<std::string>> group_values(const std::vector<std::string>& words, KernelOp op) {
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
      if (op == KernelOp::ToKjt || op == KernelOp::Dedup) {
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
std::string run_dense(KernelOp op, const ops::OpParams& params, const std::vector<std::string>& words,
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
  if (op == KernelOp::Onehot && static_cast<double>(values.size()) * static_cast<double>(params.n) > 1e7) {
    throw BadInput{fmt::format("onehot with --n {} would print {} values per input value; use n <= {}", params.n,
                               params.n, static_cast<std::int64_t>(1e7 / static_cast<double>(values.size())))};
  }
  ops::OpInput in;
  in.dense = values;
  in.nulls = nulls;
  ops::OpOutput out;
  if (std::string e = ops::check_op_call(op, params, in); !e.empty()) throw BadInput{fmt::format("{}: {}", name, e)};
  ops::run_op(op, params, in, out);
  std::string text;
  if (op == KernelOp::Onehot) {
    const auto n = static_cast<std::size_t>(params.n);
    for (std::size_t r = 0; r < values.size(); ++r) {
      text += fmt::format("{}\n", fmt::join(std::span<const float>(out.dense).subspan(r * n, n), " "));
    }
    return text;
  }
  std::vector<std::string> cells;
  std::size_t id = 0;
  for (std::size_t r = 0; r < values.size(); ++r) {
    if (op == KernelOp::Bucketize) {
      cells.push_back(out.sparse.lengths[r] == 0 ? "null" : fmt::format("{}", out.sparse.values[id++]));
    } else {
      cells.push_back(out.nulls[r] ? "null" : fmt::format("{}", out.dense[r]));
    }
  }
  return fmt::format("{}\n", fmt::join(cells, " "));
}

// Runs a sparse op on all groups (one list each) and returns its output lines.
std::string run_sparse(KernelOp op, const ops::OpParams& params, const std::vector<std::vector<std::string>>& groups,
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
  if (op == KernelOp::ToKjt) {
    return fmt::format("values: {}\nlengths: {}\noffsets: {}\n", id_line(out.kjt.values),
                       fmt::join(out.kjt.lengths, " "), id_line(out.kjt.offsets));
  }
  if (op == KernelOp::Dedup) {
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
  const std::optional<KernelOp> op = ops::kernel_op(name);
  if (!op) throw BadInput{fmt::format("op '{}' has no kernel to run here (prepsim op runs: {})", name, runnable_ops())};

  ops::OpParams params;
  std::set<std::string> given;
  std::vector<std::string> words;
  bool values_only = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!values_only && a == "--") {
      values_only = true;
    } else if (!values_only && (a == "--help" || a == "-h")) {
      return op_help(*info, *op);
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
  const bool dense = ops::reads_dense(*op) || (*op == KernelOp::Clamp && !all_ints(groups));
  if (!dense) return run_sparse(*op, params, groups, name);
  std::string text;
  for (const auto& g : groups) text += run_dense(*op, params, g, name);
  return text;
}

}  // namespace

const std::vector<OpExample>& op_examples() {
  static const std::vector<OpExample> examples = {
      {"to_kjt", {"--", "[1,2]", "[]", "[3]"}, "values: 1 2 3\nlengths: 2 0 1\noffsets: 0 2 2 3\n"},
      {"dedup", {"--", "[1,2]", "[3]", "[1,2]"}, "unique: [1,2] [3]\ninverse: 0 1 0\n"},
      {"bucketize", {"--borders", "[2,5,10]", "--", "1", "2", "3", "5", "8", "10", "11"}, "0 0 1 1 2 2 3\n"},
      {"ngram", {"--n", "2", "--", "1", "2", "3", "4"}, "1 2 2 3 3 4\n"},
      {"mapid", {"--map", "[10,11,12]", "--", "0", "2", "3", "-1"}, "10 12 0 0\n"},
      {"onehot", {"--lower", "0", "--upper", "10", "--n", "4", "--", "1", "6", "12"}, "1 0 0 0\n0 0 1 0\n1 0 0 0\n"},
      {"sigrid_hash",
       {"--salt", "0", "--max", "100", "--", "1", "2", "3", "5", "8", "10", "11"},
       "60 54 54 4 67 2 25\n"},
      {"firstx", {"--x", "2", "--", "[1,2,3]", "[4]"}, "1 2\n4\n"},
      {"clamp", {"--lo", "0", "--hi", "5", "--", "-3", "2", "9"}, "0 2 5\n"},
      {"log", {"--offset", "1", "--", "0", "1", "-1", "null"}, "0 0.6931472 -inf null\n"},
      {"logit", {"--eps", "0.25", "--", "0.5", "0", "0.75"}, "0 -1.0986123 1.0986123\n"},
      {"boxcox", {"--lambda", "0.5", "--", "4", "0", "-1"}, "2 0 -1\n"},
      {"fill_null", {"--value", "0", "--", "1", "null", "3"}, "1 0 3\n"},
  };
  return examples;
}

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
