/*
 * import_records.c - imports one sheet (or CSV) as records of an entity
 * through hgq_import_file, the way a platform loads an upload, and prints
 * the row balance and how long it took.
 *
 *   import_records FILE ENTITY
 *
 * Output (key=value): rows_read, rows_accepted, rows_rejected,
 * rows_skipped, records, findings, import_s, rss_after_kb (resident set
 * after the import, the dataset still held), maxrss_kb.
 */
#include "hgq.h"
#include "bench.h"

int main(int argc, char **argv)
{
    hgq_dataset *ds;
    hgq_schemas *reg;
    hgq_import_summary sum;
    hgq_error err;
    hgq_table *t;
    double t0, t1;

    if (argc != 3)
        bench_die("usage: import_records FILE ENTITY");
    ds = hgq_dataset_new(2025, 0);
    reg = hgq_schemas_new();
    if (!ds || !reg)
        bench_die("import_records: cannot start");
    t0 = bench_now();
    if (hgq_import_file(ds, reg, argv[1], argv[2], NULL, NULL, &sum, &err) != HGQ_OK)
        bench_die("import_records: %s: %s", argv[1], err.message);
    t1 = bench_now();
    t = hgq_dataset_table(ds, argv[2]);
    printf("rows_read=%zu\nrows_accepted=%zu\nrows_rejected=%zu\nrows_skipped=%zu\n"
           "records=%zu\nfindings=%zu\nimport_s=%.4f\nrss_after_kb=%ld\nmaxrss_kb=%ld\n",
           sum.rows_read, sum.rows_accepted, sum.rows_rejected, sum.rows_skipped,
           t ? hgq_table_nrows(t) : 0, hgq_dataset_finding_count(ds), t1 - t0,
           bench_rss_kb(), bench_maxrss_kb());
    hgq_import_summary_free(&sum);
    hgq_schemas_free(reg);
    hgq_dataset_free(ds);
    return 0;
}
