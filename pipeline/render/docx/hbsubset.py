"""Font subsets made by HarfBuzz's subsetter (the library WeasyPrint subsets the PDF's fonts
with), through cffi: some milliseconds a face where fontTools takes most of a second. The
same choices as the fontTools path in fonts.py: every name kept, hinting and layout tables
(kerning in GPOS) kept, an outline for .notdef, no glyph names; HarfBuzz leaves out the legacy
`kern` table, which GPOS holds too. None when the library is missing."""

from __future__ import annotations

import functools

CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data,
                          void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
void hb_set_add_range(hb_set_t *set, uint32_t first, uint32_t last);
uint32_t hb_tag_from_string(const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
READONLY = 1  # HB_MEMORY_MODE_READONLY
UNICODE, DROP_TABLE_TAG, NAME_ID, NAME_LANG_ID = 1, 3, 4, 5  # hb_subset_sets_t
NOTDEF_OUTLINE = 0x40  # hb_subset_flags_t
DROPPED = (b"FFTM",)


@functools.cache
def _library():
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(CDEF)
        hb = ffi.dlopen("libharfbuzz.so.0")
        hbs = ffi.dlopen("libharfbuzz-subset.so.0")
        hbs.hb_subset_input_create_or_fail  # noqa: B018 - fails here when too old
    except (ImportError, OSError, AttributeError):
        return None
    return ffi, hb, hbs


def subset(data: bytes, chars) -> bytes | None:
    """The font `data` with the glyphs of `chars` only, or None (no HarfBuzz subsetter, or it
    could not subset this font: the caller uses fontTools)."""
    lib = _library()
    if lib is None:
        return None
    ffi, hb, hbs = lib
    source = ffi.from_buffer(data)
    blob = hb.hb_blob_create(source, len(data), READONLY, ffi.NULL, ffi.NULL)
    face = hb.hb_face_create(blob, 0)
    plan = hbs.hb_subset_input_create_or_fail()
    out_face = out = ffi.NULL
    try:
        if plan == ffi.NULL:
            return None
        unicodes = hbs.hb_subset_input_set(plan, UNICODE)
        for c in sorted(chars):
            hb.hb_set_add(unicodes, c)
        hb.hb_set_add_range(hbs.hb_subset_input_set(plan, NAME_ID), 0, 255)
        hb.hb_set_add_range(hbs.hb_subset_input_set(plan, NAME_LANG_ID), 0, 0xFFFF)
        drop = hbs.hb_subset_input_set(plan, DROP_TABLE_TAG)
        for tag in DROPPED:
            hb.hb_set_add(drop, hb.hb_tag_from_string(tag, len(tag)))
        hbs.hb_subset_input_set_flags(plan, NOTDEF_OUTLINE)
        out_face = hbs.hb_subset_or_fail(face, plan)
        if out_face == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(out_face)
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(out, length)
        return bytes(ffi.buffer(pointer, length[0])) if length[0] else None
    finally:
        if out != ffi.NULL:
            hb.hb_blob_destroy(out)
        if out_face != ffi.NULL:
            hb.hb_face_destroy(out_face)
        if plan != ffi.NULL:
            hbs.hb_subset_input_destroy(plan)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
        del source
