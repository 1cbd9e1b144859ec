/* Option values shared by the commands: "--opt value" or "--opt=value". */
#include <string.h>
#include "cli.h"

const char *st_cli_opt_value(int argc, char **argv, int *pi, const char *zOpt)
{
	size_t n = strlen(zOpt);
	const char *z = argv[*pi];
	if (strncmp(z, zOpt, n))
		return NULL;
	if (z[n] == '=')
		return z + n + 1;
	if (z[n] || *pi + 1 >= argc)
		return NULL;
	return argv[++*pi];
}
