/*
 * measure.c - runs one command and measures it from outside, the same way
 * for libhgq's programs and for the other tools (Python, Node).
 *
 *   measure OUT CMD [ARGS...]
 *
 * The command's standard output goes to OUT; then measure appends
 *   wall_s=  user_s=  sys_s=  cpu_s=  peak_rss_kb=  exit=
 * where the times and the peak resident set are those of the command and
 * all its descendants it waited for (wait4 / getrusage of children). The
 * exit status is the command's (128 + signal when killed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
    struct rusage ru;
    double t0, wall, user, sys;
    int status = 0, fd, code;
    pid_t pid;
    FILE *out;

    if (argc < 3)
        bench_die("usage: measure OUT CMD [ARGS...]");
    fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_die("measure: %s: %s", argv[1], strerror(errno));
    t0 = bench_now();
    pid = fork();
    if (pid < 0)
        bench_die("measure: fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(fd, 1);
        close(fd);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    close(fd);
    if (wait4(pid, &status, 0, &ru) < 0)
        bench_die("measure: wait: %s", strerror(errno));
    wall = bench_now() - t0;
    user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    out = fopen(argv[1], "a");
    if (!out)
        bench_die("measure: %s: %s", argv[1], strerror(errno));
    fprintf(out, "wall_s=%.4f\nuser_s=%.4f\nsys_s=%.4f\ncpu_s=%.4f\npeak_rss_kb=%ld\nexit=%d\n",
            wall, user, sys, user + sys, ru.ru_maxrss, code);
    fclose(out);
    return code;
}
