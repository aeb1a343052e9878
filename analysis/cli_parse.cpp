#include "analysis/cli_parse.h"

namespace prepsim::analysis {

int parse_subcommand(CLI::App& app, const std::string& name, const std::vector<std::string>& args,
                     std::ostream& out, std::ostream& err) {
  if (app.get_name().empty()) app.name("prepsim " + name);  // for the usage line of --help
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes a vector last word first
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "prepsim " << name << ": " << e.what() << " (prepsim " << name << " --help)\n";
    return 2;
  }
  return -1;
}

}  // namespace prepsim::analysis
