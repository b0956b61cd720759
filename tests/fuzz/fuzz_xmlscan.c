/*
 * fuzz_xmlscan.c - libFuzzer target, differential: the input is parsed as
 * an XML part by expat and by libhgq's tokenizer (xmlscan.c), whole and fed
 * in small pieces with a suspension after every event.
 *
 * Beyond what the sanitizers catch, the target aborts when:
 *   - expat accepts the input and the tokenizer does not, or delivers other
 *     events (names, attributes, the text between two tags), unless the
 *     tokenizer stopped at one of its limits (HGQ_ELIMIT: nesting depth,
 *     attributes per element);
 *   - expat rejects an input made of ASCII only and the tokenizer accepts
 *     it (beyond ASCII the tokenizer accepts more name characters);
 *   - the tokenizer fed in pieces ends otherwise than fed at once (only
 *     expat, given a part with a DOCTYPE, may call the same bad byte
 *     malformed XML or an encoding error by where the pieces end);
 *   - a failure does not come with an error of the same code and a message.
 *
 *     sh tests/fuzz/run.sh 600 fuzz_xmlscan
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_events.h"

#include "fuzz_expect.h"

static void xs_check_error(hgq_status st, const hgq_error *err)
{
    if (st == HGQ_OK)
        return;
    FZ_EXPECT(err->code == st);
    FZ_EXPECT(memchr(err->message, '\0', sizeof err->message) != NULL);
    FZ_EXPECT(err->message[0] != '\0');
    FZ_EXPECT(strcmp(err->part, "part.xml") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xe_rec e, s, p;
    hgq_error ee, es, ep;
    hgq_status ste, sts, stp;
    size_t i, first, chunk;
    int ascii = 1;

    for (i = 0; i < size; i++)
        if (data[i] >= 0x80)
            ascii = 0;
    memset(&e, 0, sizeof e);
    memset(&s, 0, sizeof s);
    memset(&p, 0, sizeof p);
    ste = xe_parse(&e, data, size, HGQ_XML_EXPAT, 0, 0, &ee);
    sts = xe_parse(&s, data, size, HGQ_XML_SCAN, 0, 0, &es);
    xs_check_error(sts, &es);

    if (ste == HGQ_OK && sts != HGQ_ELIMIT) {
        if (sts != HGQ_OK || strcmp(e.out.data, s.out.data) != 0) {
            fprintf(stderr, "expat accepts:\n%s\ntokenizer (%s: %s):\n%s\n", e.out.data,
                    hgq_status_name(sts), sts ? es.message : "", s.out.data);
            FZ_EXPECT(!"the tokenizer reads what expat reads");
        }
    }
    if (ste != HGQ_OK && ascii && sts == HGQ_OK) {
        fprintf(stderr, "expat rejects (%s), the tokenizer accepts:\n%s\n", ee.message,
                s.out.data);
        FZ_EXPECT(!"the tokenizer rejects what expat rejects");
    }

    /* in pieces, suspended after every event */
    first = size ? 1 + data[0] % size : 0;
    chunk = 1 + (size ? data[size - 1] % 7 : 0);
    p.suspend = 1;
    stp = xe_parse(&p, data, size, HGQ_XML_SCAN, first, chunk, &ep);
    xs_check_error(stp, &ep);
    FZ_EXPECT((stp == HGQ_OK) == (sts == HGQ_OK));
    FZ_EXPECT(sts != HGQ_OK || strcmp(p.out.data, s.out.data) == 0);
    /* (expat, given the part at a DOCTYPE, may tell a broken UTF-8
     * sequence as malformed XML or as an encoding error by where a piece
     * ends) */
    FZ_EXPECT(stp == sts || ((stp == HGQ_EXML || stp == HGQ_EENCODING) &&
                             (sts == HGQ_EXML || sts == HGQ_EENCODING)));

    xe_free(&e);
    xe_free(&s);
    xe_free(&p);
    return 0;
}
