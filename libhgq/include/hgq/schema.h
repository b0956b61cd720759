/*
 * hgq/schema.h - the report's entities as data: fields, types, header names,
 * enumerations and their synonyms.
 *
 * A schema describes one entity (student, staff, major ...; see NAMES.md for
 * the ids): its fields, each with a type, whether it is required or unique,
 * an allowed range or list of values, the header names offices print above
 * its column (several per field: 姓名/学生姓名/名字), and synonyms of its
 * values (数控技术 -> 数控机床装配与维修; 大专 -> 专科; 讲师 -> 中级).
 *
 * Schemas live in a registry, hgq_schemas. hgq_schemas_new() fills one with
 * the built-in entities; a caller then adds a school's own column, a
 * province's own enumeration value or synonym, or a whole new entity,
 * without touching C. Each import context or dataset has its own registry:
 * nothing is global.
 *
 * Header names and enumerated values are matched after hgq_norm_collapse
 * (white space removed, full-width folded) and ASCII case folding, so
 * "姓　名", "身份证号 " and "ＩＤ" find their field.
 *
 *     hgq_schemas *reg = hgq_schemas_new();
 *     hgq_schema *st = hgq_schemas_get(reg, "student");
 *     hgq_schema_add_synonym(st, "major", "数控", "数控机床装配与维修", NULL);
 *     hgq_field_def dorm = { .id = "dorm", .label = "宿舍", .type = HGQ_FT_TEXT,
 *                            .headers = "宿舍|宿舍号|寝室" };
 *     hgq_schema_add_field(st, &dorm, NULL);
 *     ...
 *     hgq_schemas_free(reg);
 */
#ifndef HGQ_SCHEMA_H
#define HGQ_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Field types: what people write in the column, and how it is stored. */
typedef enum hgq_ftype {
    HGQ_FT_TEXT = 0,    /**< text, stored HGQ_TEXT; synonyms map spellings */
    HGQ_FT_INT = 1,     /**< whole number ("549人", "２０２３级", "三年"), stored HGQ_INT */
    HGQ_FT_NUM = 2,     /**< number, with unit conversion to the field's unit, stored HGQ_NUM */
    HGQ_FT_DATE = 3,    /**< date (serial, ISO, 2025/9/1, 2025年9月 ...), stored HGQ_DATE */
    HGQ_FT_BOOL = 4,    /**< 是/否, √, Y/N, 1/0, stored HGQ_BOOL */
    HGQ_FT_ENUM = 5,    /**< one of the field's values, stored as canonical HGQ_TEXT */
    HGQ_FT_IDCARD = 6,  /**< resident ID number, stored as 18 characters HGQ_TEXT */
    HGQ_FT_GENDER = 7   /**< 男/女 (男性, M, 1 ...), stored HGQ_TEXT "男" or "女" */
} hgq_ftype;

/** Field flags (bit set). */
enum {
    HGQ_FIELD_REQUIRED = 1 << 0,  /**< a record without it is refused */
    HGQ_FIELD_UNIQUE = 1 << 1,    /**< no two records share a value */
    HGQ_FIELD_MIN = 1 << 2,       /**< `min` applies (number, integer, date serial) */
    HGQ_FIELD_MAX = 1 << 3,       /**< `max` applies */
    HGQ_FIELD_LIST = 1 << 4,      /**< several values joined by 、 (each matched on its own) */
    HGQ_FIELD_SQUEEZE = 1 << 5,   /**< text: remove all inner white space ("张  三" -> "张三") */
    HGQ_FIELD_PAST = 1 << 6       /**< date: not after the dataset's reference date */
};

/**
 * A field definition, as given to hgq_schema_add_field. Lists are single
 * strings with items separated by '|', so that definitions are compact C
 * data. Every string is copied.
 */
typedef struct hgq_field_def {
    const char *id;        /**< field id, e.g. "id_number" (required) */
    const char *label;     /**< Chinese name used in messages, e.g. "身份证号码"; also a header name */
    hgq_ftype type;        /**< value type */
    unsigned flags;        /**< HGQ_FIELD_* bits */
    double min, max;       /**< range when HGQ_FIELD_MIN / HGQ_FIELD_MAX is set */
    const char *unit;      /**< unit of HGQ_FT_NUM values ("m²", "万元", "元"), NULL if none */
    const char *headers;   /**< header names, '|'-separated: "身份证号|身份证号码|证件号码" */
    const char *values;    /**< HGQ_FT_ENUM: canonical values, '|'-separated */
    const char *synonyms;  /**< "spelling=canonical|..."; an empty canonical means no value */
    const char *ref;       /**< "entity.field" whose values this one must be among, or NULL */
} hgq_field_def;

/** A field as stored, for inspection. Strings belong to the registry. */
typedef struct hgq_field_info {
    const char *id;        /**< field id */
    const char *label;     /**< Chinese name */
    hgq_ftype type;        /**< value type */
    hgq_vtype vtype;       /**< how values are stored in tables */
    unsigned flags;        /**< HGQ_FIELD_* bits */
    double min, max;       /**< range, see flags */
    const char *unit;      /**< unit or NULL */
    const char *ref_entity;/**< referenced entity or NULL */
    const char *ref_field; /**< referenced field or NULL */
    size_t nheaders;       /**< header names (see hgq_schema_field_header) */
    size_t nvalues;        /**< canonical values (see hgq_schema_field_value) */
    size_t nsynonyms;      /**< synonyms (see hgq_schema_field_synonym) */
} hgq_field_info;

typedef struct hgq_schemas hgq_schemas;
typedef struct hgq_schema hgq_schema;

/** Name of a field type: "text", "integer", "number", "date", "boolean",
 *  "enum", "idcard", "gender". */
const char *hgq_ftype_name(hgq_ftype type);

/** Field type from its name (also accepts "int", "num", "bool",
 *  "enumeration", "id_number", "id"); returns 1 and *out, or 0. */
int hgq_ftype_from_name(const char *name, hgq_ftype *out);

/** The value type a field type is stored as (HGQ_FT_ENUM -> HGQ_TEXT ...). */
hgq_vtype hgq_ftype_vtype(hgq_ftype type);

/* {====================================================================
 * The registry
 * ===================================================================== */

/**
 * New registry holding the built-in entities of NAMES.md (school, major,
 * student, graduate, staff, partner, award, certification, aid, training,
 * event). NULL when out of memory. Release with hgq_schemas_free.
 */
hgq_schemas *hgq_schemas_new(void);

/** New registry without any entity. NULL when out of memory. */
hgq_schemas *hgq_schemas_new_empty(void);

/** Releases a registry and its schemas. NULL is allowed. */
void hgq_schemas_free(hgq_schemas *reg);

/** Number of entities. */
size_t hgq_schemas_count(const hgq_schemas *reg);

/** Entity `index` in definition order, or NULL. */
hgq_schema *hgq_schemas_at(const hgq_schemas *reg, size_t index);

/** The schema of entity `entity`, or NULL. */
hgq_schema *hgq_schemas_get(const hgq_schemas *reg, const char *entity);

/**
 * Defines a new, empty entity `entity` with Chinese name `label` (NULL: the
 * id); its schema goes to *out when out is not NULL. Errors: HGQ_EARG (the
 * entity exists or the id is empty), HGQ_ENOMEM.
 *
 *     hgq_schema *dorm;
 *     hgq_schemas_define(reg, "dormitory", "宿舍", &dorm, &err);
 */
hgq_status hgq_schemas_define(hgq_schemas *reg, const char *entity,
                              const char *label, hgq_schema **out,
                              hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * One entity
 * ===================================================================== */

/** The entity id ("student"). */
const char *hgq_schema_entity(const hgq_schema *s);

/** The entity's Chinese name ("学生"). */
const char *hgq_schema_label(const hgq_schema *s);

/** The registry the schema belongs to. */
hgq_schemas *hgq_schema_registry(const hgq_schema *s);

/** Number of fields. */
size_t hgq_schema_field_count(const hgq_schema *s);

/** Index of field `id`, or -1. */
long hgq_schema_find_field(const hgq_schema *s, const char *id);

/**
 * Describes field `index`: fills *out and returns 1, or returns 0 when out
 * of range. The strings stay valid until the field is redefined or the
 * registry freed.
 */
int hgq_schema_field_info(const hgq_schema *s, size_t index, hgq_field_info *out);

/** Header name `i` of field `index` as given, or NULL. */
const char *hgq_schema_field_header(const hgq_schema *s, size_t index, size_t i);

/** Canonical value `i` of enumerated field `index`, or NULL. */
const char *hgq_schema_field_value(const hgq_schema *s, size_t index, size_t i);

/**
 * Synonym `i` of field `index`: returns the spelling and sets *canonical
 * (when not NULL) to what it stands for ("" for no value); NULL if none.
 */
const char *hgq_schema_field_synonym(const hgq_schema *s, size_t index,
                                     size_t i, const char **canonical);

/**
 * Adds a field, or redefines the field of the same id (a school's own
 * spelling of a built-in field, say). Header names, values and synonyms of
 * `def` are added to those of a redefined field; type, flags, range, unit,
 * label and reference are replaced. The id and label are always header
 * names. Errors: HGQ_EARG (no id), HGQ_ESCHEMA (bad `ref` or a synonym
 * without '='), HGQ_ENOMEM.
 *
 *     hgq_field_def f = { .id = "dorm", .label = "宿舍", .type = HGQ_FT_TEXT,
 *                         .headers = "宿舍|宿舍号" };
 *     hgq_schema_add_field(student, &f, &err);
 */
hgq_status hgq_schema_add_field(hgq_schema *s, const hgq_field_def *def,
                                hgq_error *err);

/**
 * Adds a header name for field `field` ("学籍号" for student_no).
 * Errors: HGQ_ENOTFOUND (no such field), HGQ_ENOMEM.
 */
hgq_status hgq_schema_add_header(hgq_schema *s, const char *field,
                                 const char *header, hgq_error *err);

/**
 * Adds an allowed value to field `field` (an enumeration; for other types
 * it becomes a known spelling). Adding an existing value does nothing.
 * Errors: HGQ_ENOTFOUND, HGQ_ENOMEM.
 *
 *     hgq_schema_add_value(staff, "title", "正高级讲师", &err);
 */
hgq_status hgq_schema_add_value(hgq_schema *s, const char *field,
                                const char *value, hgq_error *err);

/**
 * Adds a synonym: `synonym` typed in field `field` stands for `canonical`
 * ("" or NULL for no value, e.g. "无" in an optional hardship column). A
 * later synonym with the same spelling replaces the earlier one. For an
 * enumeration the canonical value must be one of its values, else
 * HGQ_ESCHEMA. For a boolean it must read as one (是/否).
 *
 *     hgq_schema_add_synonym(student, "major", "数控技术", "数控机床装配与维修", &err);
 */
hgq_status hgq_schema_add_synonym(hgq_schema *s, const char *field,
                                  const char *synonym, const char *canonical,
                                  hgq_error *err);

/** Sets the HGQ_FIELD_* flags of a field. Errors: HGQ_ENOTFOUND. */
hgq_status hgq_schema_set_flags(hgq_schema *s, const char *field,
                                unsigned flags, hgq_error *err);

/**
 * Field whose header names include `text` (after collapsing white space and
 * folding width and ASCII case; a trailing "*" required marker and a
 * parenthesised note "（元）" are ignored), or -1.
 */
long hgq_schema_match_header(const hgq_schema *s, const char *text, size_t len);

/**
 * The canonical spelling of `text` in field `index`: a synonym's canonical
 * value, an enumeration value, or (also looked up there) the synonyms and
 * values of the field the field refers to (student.major uses major.name's
 * synonyms). Returns the canonical text ("" meaning no value), or NULL when
 * the text is none of these.
 */
const char *hgq_schema_canonical(const hgq_schema *s, size_t index,
                                 const char *text, size_t len);

/* }==================================================================== */

/* {====================================================================
 * Reading a value for a field
 * ===================================================================== */

/** Outcome of hgq_schema_parse. */
typedef enum hgq_parse_status {
    HGQ_PARSE_OK = 0,     /**< a value */
    HGQ_PARSE_EMPTY = 1,  /**< nothing written (or a synonym of no value) */
    HGQ_PARSE_BAD = 2     /**< something written that is not a value of the field */
} hgq_parse_status;

/**
 * A parsed value. `value` text points into `text` or into the registry,
 * so it lives as long as this struct and the registry (copy it).
 */
typedef struct hgq_parsed {
    hgq_parse_status status;
    hgq_value value;       /**< the value when status is HGQ_PARSE_OK, else HGQ_NULL */
    const char *code;      /**< when BAD: stable code ("value.date", "value.enum" ...) */
    char reason[256];      /**< when BAD: Chinese reason, e.g. "不是有效的日期" */
    char text[1024];       /**< storage for short normalised text */
    char *long_text;       /**< storage for longer text; free with hgq_parsed_clear */
} hgq_parsed;

/**
 * Reads one cell as a value of field `index`: numbers typed as text with
 * separators, full-width digits, units (converted to the field's unit:
 * 亩 -> m², 元 -> 万元 ...) and percent signs; dates as serials, numbers or
 * text in the usual spellings; booleans; enumerations and synonyms; ID
 * numbers with spaces or a lowercase x (a numeric cell is HGQ_PARSE_BAD,
 * code "value.id_numeric": its digits are lost). `unit` is the unit the
 * column's header gave ("金额（元）"), or NULL. Call hgq_parsed_clear after
 * use. Returns out->status.
 *
 *     hgq_parsed p;
 *     hgq_cell c = { .type = HGQ_CELL_STRING, .text = "2025年9月1日", ... };
 *     if (hgq_schema_parse(student, birth, &c, NULL, &p) == HGQ_PARSE_OK)
 *         use(p.value.u.d);
 *     hgq_parsed_clear(&p);
 */
hgq_parse_status hgq_schema_parse(const hgq_schema *s, size_t index,
                                  const hgq_cell *cell, const char *unit,
                                  hgq_parsed *out);

/** Releases what hgq_schema_parse allocated for a long text. */
void hgq_parsed_clear(hgq_parsed *p);

/**
 * Converts `amount` in unit `from` to unit `to` ("亩" to "m²", "元" to
 * "万元" ...). Units with the same meaning ("平方米", "㎡", "m2") convert
 * 1:1; an empty or NULL `from` is taken as `to`. Returns 1 and *out, or 0
 * when the units do not convert.
 */
int hgq_unit_convert(double amount, const char *from, const char *to, double *out);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
