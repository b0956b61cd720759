/*
 * main.c - the hgq command: runs Lua scripts with the hgq module built in.
 *
 *   hgq run SCRIPT.lua [ARGS...]   run a script; `arg` is set as lua5.4 sets it
 *   hgq NAME [ARGS...]             run the tool scripts/NAME.lua
 *   hgq --help | --version
 *
 * Tools are found, in order, in $HGQ_SCRIPTS, in <exe dir>/../share/hgq/scripts
 * (installed) and in <exe dir>/../scripts (build tree), so neither needs
 * environment variables.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "hgq.h"

int luaopen_hgq(lua_State *L);

static char exe_dir[PATH_MAX];

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void find_exe_dir(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    char *slash;
    if (n > 0) {
        buf[n] = '\0';
    } else if (!realpath(argv0, buf)) {
        snprintf(buf, sizeof buf, "%s", argv0);
    }
    slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(buf, sizeof buf, ".");
    snprintf(exe_dir, sizeof exe_dir, "%s", buf);
}

/* The scripts directory, or NULL if none is found. */
static const char *scripts_dir(void)
{
    static char dir[PATH_MAX + 64];
    const char *env = getenv("HGQ_SCRIPTS");
    if (env && *env && is_dir(env))
        return env;
    snprintf(dir, sizeof dir, "%s/../share/hgq/scripts", exe_dir);
    if (is_dir(dir))
        return dir;
    snprintf(dir, sizeof dir, "%s/../scripts", exe_dir);
    if (is_dir(dir))
        return dir;
    return NULL;
}

/* The data directory (thresholds, ...): installed, then build tree. */
static const char *data_dir(void)
{
    static char dir[PATH_MAX + 64];
    const char *env = getenv("HGQ_DATA");
    if (env && *env && is_dir(env))
        return env;
    snprintf(dir, sizeof dir, "%s/../share/hgq/data", exe_dir);
    if (is_dir(dir))
        return dir;
    snprintf(dir, sizeof dir, "%s/../libhgq/data", exe_dir);
    if (is_dir(dir))
        return dir;
    return NULL;
}

static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Runs `script` with arg[0] = script and arg[1..] = args. */
static int run_script(const char *script, int argc, char **argv, const char *progname)
{
    lua_State *L = luaL_newstate();
    const char *sdir = scripts_dir();
    const char *ddir = data_dir();
    int status, i, rc = 0;
    if (!L) {
        fprintf(stderr, "hgq: cannot create Lua state: out of memory\n");
        return 1;
    }
    luaL_openlibs(L);
    /* require "hgq" finds the built-in module */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_hgq);
    lua_setfield(L, -2, "hgq");
    lua_pop(L, 1);
    /* scripts' shared Lua code: <scripts>/lib/?.lua */
    if (sdir) {
        lua_getglobal(L, "package");
        lua_pushfstring(L, "%s/lib/?.lua;", sdir);
        lua_getfield(L, -2, "path");
        lua_concat(L, 2);
        lua_setfield(L, -2, "path");
        lua_pop(L, 1);
    }
    /* HGQ_DATA and HGQ_SCRIPTS for scripts that need the shipped data */
    lua_newtable(L);
    if (sdir) {
        lua_pushstring(L, sdir);
        lua_setfield(L, -2, "scripts");
    }
    if (ddir) {
        lua_pushstring(L, ddir);
        lua_setfield(L, -2, "data");
    }
    lua_pushstring(L, progname);
    lua_setfield(L, -2, "program");
    lua_setglobal(L, "HGQ_ENV");

    lua_createtable(L, argc, 2);
    lua_pushstring(L, progname);
    lua_rawseti(L, -2, -1);
    lua_pushstring(L, script);
    lua_rawseti(L, -2, 0);
    for (i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setglobal(L, "arg");

    lua_pushcfunction(L, msghandler);
    status = luaL_loadfile(L, script);
    if (status == LUA_OK) {
        luaL_checkstack(L, argc, "too many arguments");
        for (i = 0; i < argc; i++)
            lua_pushstring(L, argv[i]);
        status = lua_pcall(L, argc, 0, 1);
    }
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "%s: %s\n", progname, msg ? msg : "(error object is not a string)");
        rc = 1;
    }
    lua_close(L);
    return rc;
}

/* First line of a tool: "-- NAME: description" gives the description. */
static void describe_tool(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    char line[512];
    out[0] = '\0';
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *p = line, *colon;
        if (strncmp(p, "#!", 2) == 0)
            continue;
        if (strncmp(p, "--", 2) != 0)
            break;
        p += 2;
        while (*p == ' ' || *p == '-')
            p++;
        colon = strstr(p, ": ");
        if (colon)
            p = colon + 2;
        p[strcspn(p, "\r\n")] = '\0';
        snprintf(out, size, "%s", p);
        break;
    }
    fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(FILE *out)
{
    const char *sdir = scripts_dir();
    fprintf(out,
            "usage: hgq run SCRIPT.lua [ARGS...]   run a Lua script with the hgq module\n"
            "       hgq TOOL [ARGS...]             run a tool\n"
            "       hgq --help | --version\n\n");
    if (!sdir) {
        fprintf(out, "no tools found (scripts directory missing)\n");
        return;
    }
    {
        DIR *d = opendir(sdir);
        struct dirent *e;
        char *names[256];
        size_t n = 0, i;
        if (!d)
            return;
        while ((e = readdir(d)) && n < 256) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0)
                names[n++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_str);
        fprintf(out, "tools:\n");
        for (i = 0; i < n; i++) {
            char path[PATH_MAX + 300], desc[512];
            if (!names[i])
                continue;
            snprintf(path, sizeof path, "%s/%s", sdir, names[i]);
            describe_tool(path, desc, sizeof desc);
            names[i][strlen(names[i]) - 4] = '\0';
            fprintf(out, "  %-10s %s\n", names[i], desc);
            free(names[i]);
        }
    }
}

int main(int argc, char **argv)
{
    const char *sdir;
    char path[PATH_MAX + 300];
    find_exe_dir(argv[0]);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0) {
        printf("hgq %s (libhgq %s, %s)\n", HGQ_VERSION_STRING, hgq_version(), LUA_RELEASE);
        return 0;
    }
    if (strcmp(argv[1], "run") == 0) {
        if (argc < 3) {
            fprintf(stderr, "hgq run: missing script\n");
            return 2;
        }
        return run_script(argv[2], argc - 3, argv + 3, argv[0]);
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "hgq: unknown option '%s' (try hgq --help)\n", argv[1]);
        return 2;
    }
    sdir = scripts_dir();
    if (!sdir || strchr(argv[1], '/')) {
        fprintf(stderr, "hgq: unknown tool '%s' (try hgq --help)\n", argv[1]);
        return 2;
    }
    snprintf(path, sizeof path, "%s/%s.lua", sdir, argv[1]);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "hgq: unknown tool '%s' (try hgq --help)\n", argv[1]);
        return 2;
    }
    return run_script(path, argc - 2, argv + 2, argv[0]);
}
