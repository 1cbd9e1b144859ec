/* Commands of the `shiptrace` tool. Each lives in src/cli/cmd_<name>.c and
 * uses only the public libshiptrace API. argv[0] is the command name. */
#ifndef SHIPTRACE_CLI_H
#define SHIPTRACE_CLI_H

int st_cmd_decode(int argc, char **argv);
int st_cmd_ingest(int argc, char **argv);
int st_cmd_info(int argc, char **argv);
int st_cmd_analyze(int argc, char **argv);
int st_cmd_screen(int argc, char **argv);
int st_cmd_trace(int argc, char **argv);
int st_cmd_simulate(int argc, char **argv);
int st_cmd_report(int argc, char **argv);

/* The value of option zOpt at argv[*pi] ("--opt value", *pi advanced, or
 * "--opt=value"), or NULL when argv[*pi] is not that option or lacks a
 * value. */
const char *st_cli_opt_value(int argc, char **argv, int *pi, const char *zOpt);

#endif
