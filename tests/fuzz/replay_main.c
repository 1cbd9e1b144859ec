/* Replay driver for the fuzz targets: feeds every file found in the
 * directories (or files) named on the command line to
 * LLVMFuzzerTestOneInput, so the normal test run proves that no input the
 * fuzzers ever found, nor any seed, crashes a parser. A missing directory is
 * not an error: a target may have no crashers yet. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *zPath)
{
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", zPath);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf) {
		fclose(f);
		return 1;
	}
	size_t got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int nFile = 0, nErr = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			nErr += replay_file(argv[i]);
			nFile++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			nErr += replay_file(path);
			nFile++;
		}
		closedir(d);
	}
	printf("replayed %d inputs, %d unreadable\n", nFile, nErr);
	return nErr ? 1 : 0;
}
