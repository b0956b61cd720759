# make install into a staging directory: files in place, a C program links
# against the staged hgq.pc, lua5.4 requires the staged module, the staged
# hgq command finds its tools; make uninstall removes them.
. tests/e2e/lib.sh
stage=$HGQ_TMP/stage
san=0
sanflags=""
preload=""
case "$(basename "$HGQ_BUILD")" in
*san*)
    san=1
    sanflags="-fsanitize=address,undefined"
    preload="$(gcc -print-file-name=libasan.so)"
    ;;
esac
mk() { make --no-print-directory SAN=$san BUILD="$HGQ_BUILD" DESTDIR="$stage" PREFIX=/usr "$@"; }
check "make install DESTDIR=... PREFIX=/usr succeeds" mk install
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for f in usr/include/hgq.h usr/include/hgq/error.h usr/include/hgq/reader.h \
    usr/lib/$ma/libhgq.a usr/lib/$ma/libhgq.so usr/lib/$ma/libhgq.so.0 \
    usr/lib/$ma/pkgconfig/hgq.pc usr/lib/$ma/lua/5.4/hgq.so usr/bin/hgq \
    usr/share/hgq/scripts/dump.lua; do
    check "installed $f" test -e "$stage/$f"
done
check "the shared library has a versioned soname" sh -c \
    "objdump -p '$stage/usr/lib/$ma/libhgq.so' | grep -q 'SONAME *libhgq.so.0'"

cat > "$HGQ_TMP/embed_min.c" <<'C'
#include <hgq.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    hgq_error err;
    hgq_workbook *wb;
    if (strcmp(hgq_version(), HGQ_VERSION_STRING) != 0)
        return 1;
    if (hgq_workbook_open(&wb, "/nonexistent/x.xlsx", NULL, &err) == HGQ_OK)
        return 1;
    printf("%s\n", hgq_status_name(err.code));
    return 0;
}
C
pc() { PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_PATH="$stage/usr/lib/$ma/pkgconfig" pkg-config "$@"; }
check "a C program compiles and links with pkg-config --cflags --libs hgq" sh -c \
    "cc $sanflags -o '$HGQ_TMP/embed_min' '$HGQ_TMP/embed_min.c' $(pc --cflags --libs hgq)"
check "the linked program runs against the staged library" sh -c \
    "LD_LIBRARY_PATH='$stage/usr/lib/$ma' '$HGQ_TMP/embed_min' | grep -q HGQ_EIO"
check "lua5.4 requires the installed module" env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 \
    LUA_CPATH="$stage/usr/lib/$ma/lua/5.4/?.so" lua5.4 -e 'local h = require "hgq"; assert(h.version)'
check "the installed hgq finds its tools without environment variables" sh -c \
    "env -u HGQ_SCRIPTS '$stage/usr/bin/hgq' --help | grep -q '^  dump '"
check "make uninstall succeeds" mk uninstall
check "make uninstall removed the files" sh -c \
    "! test -e '$stage/usr/bin/hgq' && ! test -e '$stage/usr/include/hgq.h' && ! test -e '$stage/usr/lib/$ma/lua/5.4/hgq.so'"
done_testing
