# libhgq - build, test, install.
#
#   make            build the libraries, the Lua module and the hgq command
#   make run        install missing packages, build, write the example report under out/
#   make test       install missing packages, build, run every test
#   make test SAN=1 the same suite built with AddressSanitizer + UBSan
#   make install    PREFIX=/usr/local DESTDIR= (headers, libs, hgq.pc, Lua module, hgq, scripts)
#   make bench      benchmarks, written to BENCHMARKS.md
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each

VERSION    := 0.1.0
SOVERSION  := 0
PREFIX     ?= /usr/local
DESTDIR    ?=
SAN        ?= 0

ifeq ($(SAN),1)
BUILD      ?= build-san
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT        := -O1 -g
else
BUILD      ?= build
SANFLAGS   :=
OPT        := -O2 -g
endif

CC         ?= cc
PKG_CONFIG ?= pkg-config
DEPS_PC    := lua5.4 expat minizip zlib xlsxwriter
DEP_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(DEPS_PC) 2>/dev/null)
LIB_LIBS    = $(shell $(PKG_CONFIG) --libs expat minizip zlib xlsxwriter 2>/dev/null) -lm -pthread
LUA_LIBS    = $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null)

CPPFLAGS   += -Ilibhgq/include -Ilibhgq/src -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS     ?= $(OPT)
CFLAGS     += -std=c11 -pthread -Wall -Wextra -Wno-unused-parameter -fPIC $(SANFLAGS) $(DEP_CFLAGS)
LDFLAGS    += $(SANFLAGS)

MULTIARCH  := $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch 2>/dev/null)
ifeq ($(PREFIX),/usr)
LIBDIR     ?= $(PREFIX)/lib/$(MULTIARCH)
LUA_CDIR   ?= $(PREFIX)/lib/$(MULTIARCH)/lua/5.4
else
LIBDIR     ?= $(PREFIX)/lib
LUA_CDIR   ?= $(PREFIX)/lib/lua/5.4
endif
INCDIR     ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/hgq

LIB_SRC    := $(sort $(wildcard libhgq/src/*.c))
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
LUA_SRC    := $(sort $(filter-out bindings/lua/main.c,$(wildcard bindings/lua/*.c)))
LUA_OBJ    := $(LUA_SRC:%.c=$(BUILD)/%.o)
CTEST_SRC  := $(sort $(wildcard tests/c/test_*.c))
CTEST_BIN  := $(CTEST_SRC:tests/c/%.c=$(BUILD)/tests/%)
HEADERS    := $(wildcard libhgq/include/*.h libhgq/include/hgq/*.h)

STATIC     := $(BUILD)/libhgq.a
SHARED     := $(BUILD)/libhgq.so.$(VERSION)
LUAMOD     := $(BUILD)/hgq.so
HGQ        := $(BUILD)/hgq

.PHONY: all deps run test check-tests install uninstall clean bench fuzz
all: $(STATIC) $(SHARED) $(LUAMOD) $(HGQ)

$(BUILD)/%.o: %.c $(HEADERS) $(wildcard libhgq/src/*.h) $(wildcard bindings/lua/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DHGQ_DATADIR='"$(DATADIR)"' -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libhgq.so.$(SOVERSION) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)
	ln -sf libhgq.so.$(VERSION) $(BUILD)/libhgq.so.$(SOVERSION)
	ln -sf libhgq.so.$(SOVERSION) $(BUILD)/libhgq.so

# The Lua module: symbols of liblua come from the interpreter that loads it.
$(LUAMOD): $(LUA_OBJ) $(STATIC)
	$(CC) -shared $(LDFLAGS) -o $@ $(LUA_OBJ) $(STATIC) $(LIB_LIBS)

# The hgq command embeds Lua and the module, so it needs nothing installed.
$(HGQ): $(BUILD)/bindings/lua/main.o $(LUA_OBJ) $(STATIC)
	$(CC) $(LDFLAGS) -Wl,-E -o $@ $^ $(LUA_LIBS) $(LIB_LIBS)

$(BUILD)/tests/%: tests/c/%.c $(wildcard tests/c/*.h) $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/c $(LDFLAGS) -o $@ $< $(STATIC) $(LIB_LIBS)

# One shared set-up step: installs the Debian packages that are missing.
deps:
	@sh tests/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	$(HGQ) report examples/hengyang-2025 -o out/hengyang-2025.xlsx

test: deps
	@$(MAKE) --no-print-directory all check-tests
	@sh tests/run.sh $(BUILD)

check-tests: $(CTEST_BIN)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh $(BUILD)

fuzz: deps
	@sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

install: all
	install -d $(DESTDIR)$(INCDIR)/hgq $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LUA_CDIR) \
	    $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scripts $(DESTDIR)$(DATADIR)/scripts/lib \
	    $(DESTDIR)$(DATADIR)/data
	install -m 644 libhgq/include/hgq.h $(DESTDIR)$(INCDIR)/hgq.h
	install -m 644 libhgq/include/hgq/*.h $(DESTDIR)$(INCDIR)/hgq/
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libhgq.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libhgq.so.$(VERSION)
	ln -sf libhgq.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libhgq.so.$(SOVERSION)
	ln -sf libhgq.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libhgq.so
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' \
	    libhgq/hgq.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/hgq.pc
	install -m 755 $(LUAMOD) $(DESTDIR)$(LUA_CDIR)/hgq.so
	install -m 755 $(HGQ) $(DESTDIR)$(BINDIR)/hgq
	if ls scripts/*.lua >/dev/null 2>&1; then install -m 644 scripts/*.lua $(DESTDIR)$(DATADIR)/scripts/; fi
	if ls scripts/lib/*.lua >/dev/null 2>&1; then install -m 644 scripts/lib/*.lua $(DESTDIR)$(DATADIR)/scripts/lib/; fi
	if ls libhgq/data/* >/dev/null 2>&1; then cp -r libhgq/data/. $(DESTDIR)$(DATADIR)/data/; fi

uninstall:
	rm -f $(DESTDIR)$(INCDIR)/hgq.h $(DESTDIR)$(LIBDIR)/libhgq.a \
	    $(DESTDIR)$(LIBDIR)/libhgq.so $(DESTDIR)$(LIBDIR)/libhgq.so.$(SOVERSION) \
	    $(DESTDIR)$(LIBDIR)/libhgq.so.$(VERSION) $(DESTDIR)$(LIBDIR)/pkgconfig/hgq.pc \
	    $(DESTDIR)$(LUA_CDIR)/hgq.so $(DESTDIR)$(BINDIR)/hgq
	rm -rf $(DESTDIR)$(INCDIR)/hgq $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz out
