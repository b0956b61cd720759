/*
 * test_regress.c - every input kept in tests/data/regress/ (inputs that once
 * crashed, hung or broke a contract under the fuzzers) runs again through
 * the fuzz target that found it, in a forked child bounded in time. Each
 * must end in success or a clean error: the targets abort on a broken
 * contract (a status without a matching error, invalid UTF-8, cells out of
 * order, a broken row balance ...), and a sanitized build catches memory
 * errors.
 *
 * The file name says which target: import-* runs a whole import
 * (tests/fuzz/fuzz_import.c); xmlscan-* parses the file as one XML part
 * with expat and with libhgq's tokenizer (tests/fuzz/fuzz_xmlscan.c);
 * sheetpar-* reads a sheet part serially and on several cores, which must
 * agree (tests/fuzz/fuzz_sheetpar.c: three bytes of settings, then the part);
 * anything else opens the file as a workbook and reads all of it
 * (tests/fuzz/fuzz_xlsx.c). The workbook targets accept a zip, a CSV text
 * or the parts format described in tests/fuzz/fuzz_parts.h.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

#define LLVMFuzzerTestOneInput regress_xlsx
#include "../fuzz/fuzz_xlsx.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput regress_import
#include "../fuzz/fuzz_import.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput regress_xmlscan
#include "../fuzz/fuzz_xmlscan.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput regress_sheetpar
#include "../fuzz/fuzz_sheetpar.c"
#undef LLVMFuzzerTestOneInput

#if defined(__SANITIZE_ADDRESS__)
#define TIME_BOUND_S 120
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_BOUND_S 120
#endif
#endif
#ifndef TIME_BOUND_S
#define TIME_BOUND_S 30
#endif

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL)
        *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

/* Runs one input in a child; returns a description of the failure or NULL. */
static const char *run_one(const char *dir, const char *name, char *why, size_t size)
{
    char path[2048];
    pid_t pid;
    int status;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        snprintf(why, size, "fork: %s", strerror(errno));
        return why;
    }
    if (pid == 0) {
        size_t len = 0;
        unsigned char *data = slurp(path, &len);
        if (!data)
            _exit(3);
        alarm(TIME_BOUND_S);
        if (strncmp(name, "import-", 7) == 0)
            regress_import(data, len);
        else if (strncmp(name, "xmlscan-", 8) == 0)
            regress_xmlscan(data, len);
        else if (strncmp(name, "sheetpar-", 9) == 0)
            regress_sheetpar(data, len);
        else
            regress_xlsx(data, len);
        free(data);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) < 0) {
        snprintf(why, size, "waitpid: %s", strerror(errno));
        return why;
    }
    if (WIFSIGNALED(status)) {
        snprintf(why, size, "%s", WTERMSIG(status) == SIGALRM ? "no end within the time bound"
                                                              : strsignal(WTERMSIG(status)));
        return why;
    }
    if (WEXITSTATUS(status) != 0) {
        snprintf(why, size, "exit status %d", WEXITSTATUS(status));
        return why;
    }
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One TAP test per kept input, named after its file. */
static void run_all(void)
{
    const char *dir = T_DATA("regress");
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    if (!d) {
        t_count++;
        t_failed++;
        printf("# cannot open %s: %s\nnot ok %d - regress directory\n", dir, strerror(errno),
               t_count);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        char why[256];
        t_cur_name = names[i];
        t_cur_failed = run_one(dir, names[i], why, sizeof why) != NULL;
        t_count++;
        if (t_cur_failed) {
            t_failed++;
            printf("# %s: %s\nnot ok %d - %s\n", names[i], why, t_count, names[i]);
        } else {
            printf("ok %d - %s ends cleanly\n", t_count, names[i]);
        }
        fflush(stdout);
        free(names[i]);
    }
    free(names);
}

int main(void)
{
    run_all();
    return t_done();
}
