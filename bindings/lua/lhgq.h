/*
 * lhgq.h - shared pieces of the hgq Lua module. Each l<area>.c file adds its
 * functions to the module table; lhgq.c assembles them in luaopen_hgq.
 */
#ifndef LHGQ_H
#define LHGQ_H

#include <lauxlib.h>
#include <lua.h>

#include "hgq.h"

/* Area registration: each adds its functions to the table at the top of the stack. */
void hgq_lua_open_core(lua_State *L);
void hgq_lua_open_reader(lua_State *L);
void hgq_lua_open_model(lua_State *L);
void hgq_lua_open_stats(lua_State *L);
void hgq_lua_open_writer(lua_State *L);
void hgq_lua_open_normalize(lua_State *L);

/*
 * Failure convention for functions that can fail on bad input (not on bad
 * arguments, which raise): push nil, the formatted message, and the stable
 * code name ("HGQ_EZIP"); return 3.
 */
int hgq_lua_fail(lua_State *L, const hgq_error *err);

/* Dates: a table with metatable "hgq.date" holding year, month, day, hour,
 * min, sec and serial; tostring gives ISO 8601. */
void hgq_lua_push_date(lua_State *L, double serial);
/* 1 and *serial if the value at idx is an hgq date, else 0. */
int hgq_lua_to_date(lua_State *L, int idx, double *serial);
/* Accepts a date value, an ISO "YYYY-MM-DD[THH:MM:SS]" string or a serial number. */
double hgq_lua_check_date(lua_State *L, int idx);

/* Pushes an hgq_value as a Lua value (NULL as nil, DATE as a date value). */
void hgq_lua_push_value(lua_State *L, const hgq_value *v);
/* Converts a Lua value to an hgq_value (text borrowed from the Lua string:
 * keep it on the stack while the value is used). nil gives HGQ_NULL;
 * integers HGQ_INT; floats HGQ_NUM; booleans HGQ_BOOL; dates HGQ_DATE;
 * anything else raises an argument error. */
hgq_value hgq_lua_check_value(lua_State *L, int idx);

/* Pushes an origin as {file=, sheet=, row=, col=, cell=} (1-based row/col), or nil. */
void hgq_lua_push_origin(lua_State *L, const hgq_origin *o);

/* Helper for the closed-flag discipline: returns the userdata at idx of
 * metatable tname whose first field, a pointer, is not NULL; raises
 * "attempt to use a closed <what>" otherwise. */
void *hgq_lua_check_open(lua_State *L, int idx, const char *tname, const char *what);

/*
 * Options tables. arg is the argument number named in errors; idx the
 * table's stack index.
 */
/* Raises "unknown <what> '<key>'" for a key of the table at idx not in the
 * NULL-terminated keys. */
void hgq_lua_check_keys(lua_State *L, int arg, int idx, const char *const keys[],
                        const char *what);
/* String field key of the table at idx, or NULL if nil; raises "'key' must
 * be a string" for any other type. The table keeps the string alive. */
const char *hgq_lua_opt_string(lua_State *L, int arg, int idx, const char *key);
/* Integer field key of the table at idx, or dflt if nil; raises "'key' must
 * be an integer" for anything not convertible to an integer. */
lua_Integer hgq_lua_opt_int(lua_State *L, int arg, int idx, const char *key, lua_Integer dflt);
/* Truth of field key of the table at idx, or dflt if nil. */
int hgq_lua_opt_bool(lua_State *L, int idx, const char *key, int dflt);

/* Result tables: set field key of the table at the stack top. set_str
 * leaves the field unset when v is NULL. */
void hgq_lua_set_str(lua_State *L, const char *key, const char *v);
void hgq_lua_set_int(lua_State *L, const char *key, lua_Integer v);
void hgq_lua_set_num(lua_State *L, const char *key, double v);
void hgq_lua_set_bool(lua_State *L, const char *key, int v);

/* Registers metatable tname with the metamethods meta and a table of
 * methods stored in its field methods_field (usually "__index"). */
void hgq_lua_new_class(lua_State *L, const char *tname, const luaL_Reg *meta,
                       const luaL_Reg *methods, const char *methods_field);

/* The hgq_dataset of the open hgq.dataset userdata at idx (lmodel.c);
 * raises an argument error for anything else and "attempt to use a closed
 * dataset" once closed. Returned as void * to keep this header light; it
 * is an hgq_dataset *. */
void *hgq_lua_check_dataset(lua_State *L, int idx);

#endif
