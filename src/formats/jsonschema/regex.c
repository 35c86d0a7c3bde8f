/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * ECMA-262 regular expressions (with the "u" flag, as JSON Schema asks) on
 * PCRE2.
 *
 * A pattern is parsed by an ECMA-262 parser of its own (the grammar of
 * ECMA-262 section 22.2.1 with [+UnicodeMode], its early errors included)
 * that writes an equivalent PCRE2 pattern, so that PCRE2 never sees ECMA
 * syntax it would read differently. The translation:
 *
 *  - every literal character is written as \x{...} (ASCII letters and
 *    digits as themselves), so no character is special to PCRE2 by
 *    accident; \uXXXX, \u{...}, \xHH, \cX, \0 and the control escapes
 *    become the code point they denote, a surrogate pair \uD83D\uDE00 one
 *    code point; a lone surrogate can never match UTF-8 text: (?!) outside
 *    a class, nothing inside one;
 *  - \d \w \s and their negations become explicit classes: \d and \w are
 *    ASCII-only, \s is ECMA's WhiteSpace + LineTerminator set (Zs, TAB, VT,
 *    FF, U+FEFF, LF, CR, U+2028, U+2029); inside a class their members are
 *    written out as ranges (PCRE2 classes cannot nest a negated class);
 *    \b \B stay PCRE2's, which without PCRE2_UCP are ASCII like ECMA's;
 *  - `.` is [^\n\r\x{2028}\x{2029}] (any code point under the s modifier);
 *    `^` is \A and `$` is \z (under the m modifier, lookarounds on the
 *    line terminators);
 *  - \p{...} / \P{...}: General_Category values (any alias, with or
 *    without "General_Category=" / "gc="), Script / Script_Extensions
 *    values (sc= scx=), and ECMA's binary properties, all checked
 *    case-sensitively against the tables below (PCRE2 would accept loose
 *    spellings ECMA rejects) and written under the names PCRE2 knows;
 *  - groups: (?<name>...) become plain capturing groups (ECMA numbers named
 *    groups like unnamed ones), \k<name> and \N backreferences become
 *    \g{N}; a backreference to a group that did not participate matches
 *    the empty string (PCRE2_MATCH_UNSET_BACKREF), as in ECMA;
 *  - lookahead, lookbehind, non-capturing groups and quantifiers are
 *    written as they are; the ES2025 modifiers (?ims-ims:...) are
 *    supported, i through PCRE2's (?i:...), m and s by the translation of
 *    ^ $ and `.`;
 *  - [] matches nothing and [^] any code point.
 *
 * Rejected, as ECMA-262 rejects them in Unicode mode: identity escapes of
 * anything but syntax characters and `/` (\a, \e, \-, outside a class),
 * lone { } ], quantifiers on nothing, on another quantifier or on a
 * lookaround, ranges out of order or with a class escape as an endpoint,
 * \c not followed by a letter, \x not followed by two hex digits, \0
 * followed by a digit, backreferences to groups that do not exist,
 * duplicate group names, Perl/Python syntax ((?P<n>, (?#...), (?i), (?>,
 * possessive quantifiers, \A \z \Z \h \R ...). Valid ECMA-262 that PCRE2
 * cannot run (a lookbehind whose branches are not of fixed length,
 * counts above 65535, a few properties newer than PCRE2's Unicode tables)
 * is accepted by sr_regex_valid() and refused by sr_regex_compile().
 *
 * Known differences in matching (not syntax): captures inside a repeated
 * group are not reset at each iteration, and a backreference inside a
 * lookbehind is matched forwards; neither changes whether a JSON Schema
 * pattern matches in practice.
 *
 * Matching: UTF mode with PCRE2_MATCH_INVALID_UTF (invalid UTF-8 in a
 * subject never matches a character and never fails the call), JIT when
 * the platform has it, and bounded by the match, depth and heap limits
 * below. Each thread keeps one match context, match data and JIT stack
 * (created on its first search, freed at thread exit), so a search does
 * not allocate.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "formats/jsonschema/regex.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/mem.h"

/*
 * Limits. The match limit counts PCRE2's backtracking steps; it grows with
 * the subject (RX_MATCH_LIMIT + RX_MATCH_PER_BYTE per byte) so that linear
 * patterns over long subjects never reach it, while a catastrophic pattern
 * such as ^(a+)+$ on 37 characters is cut off after about 2 ms (JIT) or
 * 12 ms (interpreter). The depth limit bounds nested backtracking points
 * and the heap limit (KiB) the memory of their frames (interpreter only).
 * The JIT's equivalent is its stack: each thread keeps one of up to
 * RX_JIT_STACK_MAX; a search that needs more (a repeated group over a
 * subject of more than about 64 KiB) is retried once on a stack sized for
 * the subject (RX_JIT_STACK_PER_BYTE per byte, at most RX_JIT_STACK_HUGE)
 * that is freed afterwards, so no thread keeps a large stack.
 */
#define RX_MATCH_LIMIT 1000000u
#define RX_MATCH_PER_BYTE 4u
#define RX_DEPTH_LIMIT 100000u
#define RX_HEAP_LIMIT_KIB 65536u
#define RX_JIT_STACK_MIN ((size_t)32 << 10)
#define RX_JIT_STACK_MAX ((size_t)2 << 20)
#define RX_JIT_STACK_PER_BYTE 64u
#define RX_JIT_STACK_HUGE ((size_t)256 << 20)
/* Ceilings on what a pattern may make us build. */
#define RX_MAX_NESTING 200u
#define RX_MAX_OUTPUT ((size_t)4 << 20)
#define RX_MAX_COUNT 65535u /* PCRE2's largest repeat count */

struct sr_regex {
	pcre2_code *code;
};

/* ---- Unicode tables ------------------------------------------------------ */

typedef struct rx_prop {
	const char *name; /* as ECMA-262 accepts it (case-sensitive) */
	const char *pcre; /* PCRE2's name; NULL: PCRE2 does not know it; "^X": \P{X} */
} rx_prop;

/* General_Category values and aliases (PropertyValueAliases.txt). */
static const rx_prop gc_values[] = {
	{ "C", "C" },
	{ "Cased_Letter", "LC" },
	{ "Cc", "Cc" },
	{ "Cf", "Cf" },
	{ "Close_Punctuation", "Pe" },
	{ "Cn", "Cn" },
	{ "Co", "Co" },
	{ "Combining_Mark", "M" },
	{ "Connector_Punctuation", "Pc" },
	{ "Control", "Cc" },
	{ "Cs", "Cs" },
	{ "Currency_Symbol", "Sc" },
	{ "Dash_Punctuation", "Pd" },
	{ "Decimal_Number", "Nd" },
	{ "Enclosing_Mark", "Me" },
	{ "Final_Punctuation", "Pf" },
	{ "Format", "Cf" },
	{ "Initial_Punctuation", "Pi" },
	{ "L", "L" },
	{ "LC", "LC" },
	{ "Letter", "L" },
	{ "Letter_Number", "Nl" },
	{ "Line_Separator", "Zl" },
	{ "Ll", "Ll" },
	{ "Lm", "Lm" },
	{ "Lo", "Lo" },
	{ "Lowercase_Letter", "Ll" },
	{ "Lt", "Lt" },
	{ "Lu", "Lu" },
	{ "M", "M" },
	{ "Mark", "M" },
	{ "Math_Symbol", "Sm" },
	{ "Mc", "Mc" },
	{ "Me", "Me" },
	{ "Mn", "Mn" },
	{ "Modifier_Letter", "Lm" },
	{ "Modifier_Symbol", "Sk" },
	{ "N", "N" },
	{ "Nd", "Nd" },
	{ "Nl", "Nl" },
	{ "No", "No" },
	{ "Nonspacing_Mark", "Mn" },
	{ "Number", "N" },
	{ "Open_Punctuation", "Ps" },
	{ "Other", "C" },
	{ "Other_Letter", "Lo" },
	{ "Other_Number", "No" },
	{ "Other_Punctuation", "Po" },
	{ "Other_Symbol", "So" },
	{ "P", "P" },
	{ "Paragraph_Separator", "Zp" },
	{ "Pc", "Pc" },
	{ "Pd", "Pd" },
	{ "Pe", "Pe" },
	{ "Pf", "Pf" },
	{ "Pi", "Pi" },
	{ "Po", "Po" },
	{ "Private_Use", "Co" },
	{ "Ps", "Ps" },
	{ "Punctuation", "P" },
	{ "S", "S" },
	{ "Sc", "Sc" },
	{ "Separator", "Z" },
	{ "Sk", "Sk" },
	{ "Sm", "Sm" },
	{ "So", "So" },
	{ "Space_Separator", "Zs" },
	{ "Spacing_Mark", "Mc" },
	{ "Surrogate", "Cs" },
	{ "Symbol", "S" },
	{ "Titlecase_Letter", "Lt" },
	{ "Unassigned", "Cn" },
	{ "Uppercase_Letter", "Lu" },
	{ "Z", "Z" },
	{ "Zl", "Zl" },
	{ "Zp", "Zp" },
	{ "Zs", "Zs" },
	{ "cntrl", "Cc" },
	{ "digit", "Nd" },
	{ "punct", "P" },
};

/* Script and Script_Extensions values and aliases (PropertyValueAliases.txt,
 * Unicode 15.0). NULL: newer than PCRE2's Unicode tables. */
static const rx_prop script_values[] = {
	{ "Adlam", "Adlam" },
	{ "Adlm", "Adlam" },
	{ "Aghb", "Caucasian_Albanian" },
	{ "Ahom", "Ahom" },
	{ "Anatolian_Hieroglyphs", "Anatolian_Hieroglyphs" },
	{ "Arab", "Arabic" },
	{ "Arabic", "Arabic" },
	{ "Armenian", "Armenian" },
	{ "Armi", "Imperial_Aramaic" },
	{ "Armn", "Armenian" },
	{ "Avestan", "Avestan" },
	{ "Avst", "Avestan" },
	{ "Bali", "Balinese" },
	{ "Balinese", "Balinese" },
	{ "Bamu", "Bamum" },
	{ "Bamum", "Bamum" },
	{ "Bass", "Bassa_Vah" },
	{ "Bassa_Vah", "Bassa_Vah" },
	{ "Batak", "Batak" },
	{ "Batk", "Batak" },
	{ "Beng", "Bengali" },
	{ "Bengali", "Bengali" },
	{ "Bhaiksuki", "Bhaiksuki" },
	{ "Bhks", "Bhaiksuki" },
	{ "Bopo", "Bopomofo" },
	{ "Bopomofo", "Bopomofo" },
	{ "Brah", "Brahmi" },
	{ "Brahmi", "Brahmi" },
	{ "Brai", "Braille" },
	{ "Braille", "Braille" },
	{ "Bugi", "Buginese" },
	{ "Buginese", "Buginese" },
	{ "Buhd", "Buhid" },
	{ "Buhid", "Buhid" },
	{ "Cakm", "Chakma" },
	{ "Canadian_Aboriginal", "Canadian_Aboriginal" },
	{ "Cans", "Canadian_Aboriginal" },
	{ "Cari", "Carian" },
	{ "Carian", "Carian" },
	{ "Caucasian_Albanian", "Caucasian_Albanian" },
	{ "Chakma", "Chakma" },
	{ "Cham", "Cham" },
	{ "Cher", "Cherokee" },
	{ "Cherokee", "Cherokee" },
	{ "Chorasmian", "Chorasmian" },
	{ "Chrs", "Chorasmian" },
	{ "Common", "Common" },
	{ "Copt", "Coptic" },
	{ "Coptic", "Coptic" },
	{ "Cpmn", "Cypro_Minoan" },
	{ "Cprt", "Cypriot" },
	{ "Cuneiform", "Cuneiform" },
	{ "Cypriot", "Cypriot" },
	{ "Cypro_Minoan", "Cypro_Minoan" },
	{ "Cyrillic", "Cyrillic" },
	{ "Cyrl", "Cyrillic" },
	{ "Deseret", "Deseret" },
	{ "Deva", "Devanagari" },
	{ "Devanagari", "Devanagari" },
	{ "Diak", "Dives_Akuru" },
	{ "Dives_Akuru", "Dives_Akuru" },
	{ "Dogr", "Dogra" },
	{ "Dogra", "Dogra" },
	{ "Dsrt", "Deseret" },
	{ "Dupl", "Duployan" },
	{ "Duployan", "Duployan" },
	{ "Egyp", "Egyptian_Hieroglyphs" },
	{ "Egyptian_Hieroglyphs", "Egyptian_Hieroglyphs" },
	{ "Elba", "Elbasan" },
	{ "Elbasan", "Elbasan" },
	{ "Elym", "Elymaic" },
	{ "Elymaic", "Elymaic" },
	{ "Ethi", "Ethiopic" },
	{ "Ethiopic", "Ethiopic" },
	{ "Geor", "Georgian" },
	{ "Georgian", "Georgian" },
	{ "Glag", "Glagolitic" },
	{ "Glagolitic", "Glagolitic" },
	{ "Gong", "Gunjala_Gondi" },
	{ "Gonm", "Masaram_Gondi" },
	{ "Goth", "Gothic" },
	{ "Gothic", "Gothic" },
	{ "Gran", "Grantha" },
	{ "Grantha", "Grantha" },
	{ "Greek", "Greek" },
	{ "Grek", "Greek" },
	{ "Gujarati", "Gujarati" },
	{ "Gujr", "Gujarati" },
	{ "Gunjala_Gondi", "Gunjala_Gondi" },
	{ "Gurmukhi", "Gurmukhi" },
	{ "Guru", "Gurmukhi" },
	{ "Han", "Han" },
	{ "Hang", "Hangul" },
	{ "Hangul", "Hangul" },
	{ "Hani", "Han" },
	{ "Hanifi_Rohingya", "Hanifi_Rohingya" },
	{ "Hano", "Hanunoo" },
	{ "Hanunoo", "Hanunoo" },
	{ "Hatr", "Hatran" },
	{ "Hatran", "Hatran" },
	{ "Hebr", "Hebrew" },
	{ "Hebrew", "Hebrew" },
	{ "Hira", "Hiragana" },
	{ "Hiragana", "Hiragana" },
	{ "Hluw", "Anatolian_Hieroglyphs" },
	{ "Hmng", "Pahawh_Hmong" },
	{ "Hmnp", "Nyiakeng_Puachue_Hmong" },
	{ "Hrkt", NULL },
	{ "Hung", "Old_Hungarian" },
	{ "Imperial_Aramaic", "Imperial_Aramaic" },
	{ "Inherited", "Inherited" },
	{ "Inscriptional_Pahlavi", "Inscriptional_Pahlavi" },
	{ "Inscriptional_Parthian", "Inscriptional_Parthian" },
	{ "Ital", "Old_Italic" },
	{ "Java", "Javanese" },
	{ "Javanese", "Javanese" },
	{ "Kaithi", "Kaithi" },
	{ "Kali", "Kayah_Li" },
	{ "Kana", "Katakana" },
	{ "Kannada", "Kannada" },
	{ "Katakana", "Katakana" },
	{ "Katakana_Or_Hiragana", NULL },
	{ "Kawi", NULL },
	{ "Kayah_Li", "Kayah_Li" },
	{ "Khar", "Kharoshthi" },
	{ "Kharoshthi", "Kharoshthi" },
	{ "Khitan_Small_Script", "Khitan_Small_Script" },
	{ "Khmer", "Khmer" },
	{ "Khmr", "Khmer" },
	{ "Khoj", "Khojki" },
	{ "Khojki", "Khojki" },
	{ "Khudawadi", "Khudawadi" },
	{ "Kits", "Khitan_Small_Script" },
	{ "Knda", "Kannada" },
	{ "Kthi", "Kaithi" },
	{ "Lana", "Tai_Tham" },
	{ "Lao", "Lao" },
	{ "Laoo", "Lao" },
	{ "Latin", "Latin" },
	{ "Latn", "Latin" },
	{ "Lepc", "Lepcha" },
	{ "Lepcha", "Lepcha" },
	{ "Limb", "Limbu" },
	{ "Limbu", "Limbu" },
	{ "Lina", "Linear_A" },
	{ "Linb", "Linear_B" },
	{ "Linear_A", "Linear_A" },
	{ "Linear_B", "Linear_B" },
	{ "Lisu", "Lisu" },
	{ "Lyci", "Lycian" },
	{ "Lycian", "Lycian" },
	{ "Lydi", "Lydian" },
	{ "Lydian", "Lydian" },
	{ "Mahajani", "Mahajani" },
	{ "Mahj", "Mahajani" },
	{ "Maka", "Makasar" },
	{ "Makasar", "Makasar" },
	{ "Malayalam", "Malayalam" },
	{ "Mand", "Mandaic" },
	{ "Mandaic", "Mandaic" },
	{ "Mani", "Manichaean" },
	{ "Manichaean", "Manichaean" },
	{ "Marc", "Marchen" },
	{ "Marchen", "Marchen" },
	{ "Masaram_Gondi", "Masaram_Gondi" },
	{ "Medefaidrin", "Medefaidrin" },
	{ "Medf", "Medefaidrin" },
	{ "Meetei_Mayek", "Meetei_Mayek" },
	{ "Mend", "Mende_Kikakui" },
	{ "Mende_Kikakui", "Mende_Kikakui" },
	{ "Merc", "Meroitic_Cursive" },
	{ "Mero", "Meroitic_Hieroglyphs" },
	{ "Meroitic_Cursive", "Meroitic_Cursive" },
	{ "Meroitic_Hieroglyphs", "Meroitic_Hieroglyphs" },
	{ "Miao", "Miao" },
	{ "Mlym", "Malayalam" },
	{ "Modi", "Modi" },
	{ "Mong", "Mongolian" },
	{ "Mongolian", "Mongolian" },
	{ "Mro", "Mro" },
	{ "Mroo", "Mro" },
	{ "Mtei", "Meetei_Mayek" },
	{ "Mult", "Multani" },
	{ "Multani", "Multani" },
	{ "Myanmar", "Myanmar" },
	{ "Mymr", "Myanmar" },
	{ "Nabataean", "Nabataean" },
	{ "Nag_Mundari", NULL },
	{ "Nagm", NULL },
	{ "Nand", "Nandinagari" },
	{ "Nandinagari", "Nandinagari" },
	{ "Narb", "Old_North_Arabian" },
	{ "Nbat", "Nabataean" },
	{ "New_Tai_Lue", "New_Tai_Lue" },
	{ "Newa", "Newa" },
	{ "Nko", "Nko" },
	{ "Nkoo", "Nko" },
	{ "Nshu", "Nushu" },
	{ "Nushu", "Nushu" },
	{ "Nyiakeng_Puachue_Hmong", "Nyiakeng_Puachue_Hmong" },
	{ "Ogam", "Ogham" },
	{ "Ogham", "Ogham" },
	{ "Ol_Chiki", "Ol_Chiki" },
	{ "Olck", "Ol_Chiki" },
	{ "Old_Hungarian", "Old_Hungarian" },
	{ "Old_Italic", "Old_Italic" },
	{ "Old_North_Arabian", "Old_North_Arabian" },
	{ "Old_Permic", "Old_Permic" },
	{ "Old_Persian", "Old_Persian" },
	{ "Old_Sogdian", "Old_Sogdian" },
	{ "Old_South_Arabian", "Old_South_Arabian" },
	{ "Old_Turkic", "Old_Turkic" },
	{ "Old_Uyghur", "Old_Uyghur" },
	{ "Oriya", "Oriya" },
	{ "Orkh", "Old_Turkic" },
	{ "Orya", "Oriya" },
	{ "Osage", "Osage" },
	{ "Osge", "Osage" },
	{ "Osma", "Osmanya" },
	{ "Osmanya", "Osmanya" },
	{ "Ougr", "Old_Uyghur" },
	{ "Pahawh_Hmong", "Pahawh_Hmong" },
	{ "Palm", "Palmyrene" },
	{ "Palmyrene", "Palmyrene" },
	{ "Pau_Cin_Hau", "Pau_Cin_Hau" },
	{ "Pauc", "Pau_Cin_Hau" },
	{ "Perm", "Old_Permic" },
	{ "Phag", "Phags_Pa" },
	{ "Phags_Pa", "Phags_Pa" },
	{ "Phli", "Inscriptional_Pahlavi" },
	{ "Phlp", "Psalter_Pahlavi" },
	{ "Phnx", "Phoenician" },
	{ "Phoenician", "Phoenician" },
	{ "Plrd", "Miao" },
	{ "Prti", "Inscriptional_Parthian" },
	{ "Psalter_Pahlavi", "Psalter_Pahlavi" },
	{ "Qaac", "Coptic" },
	{ "Qaai", "Inherited" },
	{ "Rejang", "Rejang" },
	{ "Rjng", "Rejang" },
	{ "Rohg", "Hanifi_Rohingya" },
	{ "Runic", "Runic" },
	{ "Runr", "Runic" },
	{ "Samaritan", "Samaritan" },
	{ "Samr", "Samaritan" },
	{ "Sarb", "Old_South_Arabian" },
	{ "Saur", "Saurashtra" },
	{ "Saurashtra", "Saurashtra" },
	{ "Sgnw", "SignWriting" },
	{ "Sharada", "Sharada" },
	{ "Shavian", "Shavian" },
	{ "Shaw", "Shavian" },
	{ "Shrd", "Sharada" },
	{ "Sidd", "Siddham" },
	{ "Siddham", "Siddham" },
	{ "SignWriting", "SignWriting" },
	{ "Sind", "Khudawadi" },
	{ "Sinh", "Sinhala" },
	{ "Sinhala", "Sinhala" },
	{ "Sogd", "Sogdian" },
	{ "Sogdian", "Sogdian" },
	{ "Sogo", "Old_Sogdian" },
	{ "Sora", "Sora_Sompeng" },
	{ "Sora_Sompeng", "Sora_Sompeng" },
	{ "Soyo", "Soyombo" },
	{ "Soyombo", "Soyombo" },
	{ "Sund", "Sundanese" },
	{ "Sundanese", "Sundanese" },
	{ "Sylo", "Syloti_Nagri" },
	{ "Syloti_Nagri", "Syloti_Nagri" },
	{ "Syrc", "Syriac" },
	{ "Syriac", "Syriac" },
	{ "Tagalog", "Tagalog" },
	{ "Tagb", "Tagbanwa" },
	{ "Tagbanwa", "Tagbanwa" },
	{ "Tai_Le", "Tai_Le" },
	{ "Tai_Tham", "Tai_Tham" },
	{ "Tai_Viet", "Tai_Viet" },
	{ "Takr", "Takri" },
	{ "Takri", "Takri" },
	{ "Tale", "Tai_Le" },
	{ "Talu", "New_Tai_Lue" },
	{ "Tamil", "Tamil" },
	{ "Taml", "Tamil" },
	{ "Tang", "Tangut" },
	{ "Tangsa", "Tangsa" },
	{ "Tangut", "Tangut" },
	{ "Tavt", "Tai_Viet" },
	{ "Telu", "Telugu" },
	{ "Telugu", "Telugu" },
	{ "Tfng", "Tifinagh" },
	{ "Tglg", "Tagalog" },
	{ "Thaa", "Thaana" },
	{ "Thaana", "Thaana" },
	{ "Thai", "Thai" },
	{ "Tibetan", "Tibetan" },
	{ "Tibt", "Tibetan" },
	{ "Tifinagh", "Tifinagh" },
	{ "Tirh", "Tirhuta" },
	{ "Tirhuta", "Tirhuta" },
	{ "Tnsa", "Tangsa" },
	{ "Toto", "Toto" },
	{ "Ugar", "Ugaritic" },
	{ "Ugaritic", "Ugaritic" },
	{ "Unknown", "Unknown" },
	{ "Vai", "Vai" },
	{ "Vaii", "Vai" },
	{ "Vith", "Vithkuqi" },
	{ "Vithkuqi", "Vithkuqi" },
	{ "Wancho", "Wancho" },
	{ "Wara", "Warang_Citi" },
	{ "Warang_Citi", "Warang_Citi" },
	{ "Wcho", "Wancho" },
	{ "Xpeo", "Old_Persian" },
	{ "Xsux", "Cuneiform" },
	{ "Yezi", "Yezidi" },
	{ "Yezidi", "Yezidi" },
	{ "Yi", "Yi" },
	{ "Yiii", "Yi" },
	{ "Zanabazar_Square", "Zanabazar_Square" },
	{ "Zanb", "Zanabazar_Square" },
	{ "Zinh", "Inherited" },
	{ "Zyyy", "Common" },
	{ "Zzzz", "Unknown" },
};

/* The binary properties ECMA-262 lists (table "Binary Unicode property
 * aliases"), with their aliases. */
static const rx_prop binary_props[] = {
	{ "AHex", "ASCII_Hex_Digit" },
	{ "ASCII", "ASCII" },
	{ "ASCII_Hex_Digit", "ASCII_Hex_Digit" },
	{ "Alpha", "Alphabetic" },
	{ "Alphabetic", "Alphabetic" },
	{ "Any", "Any" },
	{ "Assigned", "^Cn" },
	{ "Bidi_C", "Bidi_Control" },
	{ "Bidi_Control", "Bidi_Control" },
	{ "Bidi_M", "Bidi_Mirrored" },
	{ "Bidi_Mirrored", "Bidi_Mirrored" },
	{ "CI", "Case_Ignorable" },
	{ "CWCF", "Changes_When_Casefolded" },
	{ "CWCM", "Changes_When_Casemapped" },
	{ "CWKCF", NULL },
	{ "CWL", "Changes_When_Lowercased" },
	{ "CWT", "Changes_When_Titlecased" },
	{ "CWU", "Changes_When_Uppercased" },
	{ "Case_Ignorable", "Case_Ignorable" },
	{ "Cased", "Cased" },
	{ "Changes_When_Casefolded", "Changes_When_Casefolded" },
	{ "Changes_When_Casemapped", "Changes_When_Casemapped" },
	{ "Changes_When_Lowercased", "Changes_When_Lowercased" },
	{ "Changes_When_NFKC_Casefolded", NULL },
	{ "Changes_When_Titlecased", "Changes_When_Titlecased" },
	{ "Changes_When_Uppercased", "Changes_When_Uppercased" },
	{ "DI", "Default_Ignorable_Code_Point" },
	{ "Dash", "Dash" },
	{ "Default_Ignorable_Code_Point", "Default_Ignorable_Code_Point" },
	{ "Dep", "Deprecated" },
	{ "Deprecated", "Deprecated" },
	{ "Dia", "Diacritic" },
	{ "Diacritic", "Diacritic" },
	{ "EBase", "Emoji_Modifier_Base" },
	{ "EComp", "Emoji_Component" },
	{ "EMod", "Emoji_Modifier" },
	{ "EPres", "Emoji_Presentation" },
	{ "Emoji", "Emoji" },
	{ "Emoji_Component", "Emoji_Component" },
	{ "Emoji_Modifier", "Emoji_Modifier" },
	{ "Emoji_Modifier_Base", "Emoji_Modifier_Base" },
	{ "Emoji_Presentation", "Emoji_Presentation" },
	{ "Ext", "Extender" },
	{ "ExtPict", "Extended_Pictographic" },
	{ "Extended_Pictographic", "Extended_Pictographic" },
	{ "Extender", "Extender" },
	{ "Gr_Base", "Grapheme_Base" },
	{ "Gr_Ext", "Grapheme_Extend" },
	{ "Grapheme_Base", "Grapheme_Base" },
	{ "Grapheme_Extend", "Grapheme_Extend" },
	{ "Hex", "Hex_Digit" },
	{ "Hex_Digit", "Hex_Digit" },
	{ "IDC", "ID_Continue" },
	{ "IDS", "ID_Start" },
	{ "IDSB", "IDS_Binary_Operator" },
	{ "IDST", "IDS_Trinary_Operator" },
	{ "IDS_Binary_Operator", "IDS_Binary_Operator" },
	{ "IDS_Trinary_Operator", "IDS_Trinary_Operator" },
	{ "ID_Continue", "ID_Continue" },
	{ "ID_Start", "ID_Start" },
	{ "Ideo", "Ideographic" },
	{ "Ideographic", "Ideographic" },
	{ "Join_C", "Join_Control" },
	{ "Join_Control", "Join_Control" },
	{ "LOE", "Logical_Order_Exception" },
	{ "Logical_Order_Exception", "Logical_Order_Exception" },
	{ "Lower", "Lowercase" },
	{ "Lowercase", "Lowercase" },
	{ "Math", "Math" },
	{ "NChar", "Noncharacter_Code_Point" },
	{ "Noncharacter_Code_Point", "Noncharacter_Code_Point" },
	{ "Pat_Syn", "Pattern_Syntax" },
	{ "Pat_WS", "Pattern_White_Space" },
	{ "Pattern_Syntax", "Pattern_Syntax" },
	{ "Pattern_White_Space", "Pattern_White_Space" },
	{ "QMark", "Quotation_Mark" },
	{ "Quotation_Mark", "Quotation_Mark" },
	{ "RI", "Regional_Indicator" },
	{ "Radical", "Radical" },
	{ "Regional_Indicator", "Regional_Indicator" },
	{ "SD", "Soft_Dotted" },
	{ "STerm", "Sentence_Terminal" },
	{ "Sentence_Terminal", "Sentence_Terminal" },
	{ "Soft_Dotted", "Soft_Dotted" },
	{ "Term", "Terminal_Punctuation" },
	{ "Terminal_Punctuation", "Terminal_Punctuation" },
	{ "UIdeo", "Unified_Ideograph" },
	{ "Unified_Ideograph", "Unified_Ideograph" },
	{ "Upper", "Uppercase" },
	{ "Uppercase", "Uppercase" },
	{ "VS", "Variation_Selector" },
	{ "Variation_Selector", "Variation_Selector" },
	{ "White_Space", "White_Space" },
	{ "XIDC", "XID_Continue" },
	{ "XIDS", "XID_Start" },
	{ "XID_Continue", "XID_Continue" },
	{ "XID_Start", "XID_Start" },
	{ "space", "White_Space" },
};

typedef struct rx_range {
	uint32_t lo, hi;
} rx_range;

static const rx_range digit_ranges[] = { { 0x30, 0x39 } };
static const rx_range word_ranges[] = { { 0x30, 0x39 }, { 0x41, 0x5A }, { 0x5F, 0x5F }, { 0x61, 0x7A } };
/* ECMA-262 WhiteSpace (TAB VT FF ZWNBSP and Zs) and LineTerminator (LF CR LS PS). */
static const rx_range space_ranges[] = {
	{ 0x09, 0x0D },	    { 0x20, 0x20 },	{ 0xA0, 0xA0 },	    { 0x1680, 0x1680 },
	{ 0x2000, 0x200A }, { 0x2028, 0x2029 }, { 0x202F, 0x202F }, { 0x205F, 0x205F },
	{ 0x3000, 0x3000 }, { 0xFEFF, 0xFEFF },
};

#define RX_NRANGES(a) (sizeof(a) / sizeof((a)[0]))
#define LINE_TERMINATORS "\\n\\r\\x{2028}\\x{2029}"

static int prop_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const rx_prop *)elem)->name);
}

static const rx_prop *prop_find(const rx_prop *table, size_t n, const char *name)
{
	return bsearch(name, table, n, sizeof(*table), prop_cmp);
}

/* ---- the ECMA-262 parser and PCRE2 writer -------------------------------- */

typedef struct rx_name {
	char *name; /* UTF-8, heap */
	size_t len;
	unsigned group;
} rx_name;

typedef struct rx {
	const unsigned char *s;
	size_t len, pos;
	sr_buf *out;
	int pass;	 /* 1: count groups and collect names; 2: check references, write */
	unsigned groups; /* capturing groups opened so far in this pass */
	unsigned total;	 /* capturing groups of the whole pattern (known in pass 2) */
	rx_name *names;
	size_t nnames, names_cap;
	bool icase, multiline, dotall;
	unsigned depth;
	const char *err;
	size_t err_pos;
	const char *unsupported;
	size_t unsupported_pos;
	/* Annex B leniency (see sr_regex_compile): identity escapes of ASCII
	 * punctuation and lone } ] are literals. */
	bool lenient;
} rx;

/* Record the first error; returns -1 for `return fail(...)`. */
static int fail(rx *r, size_t pos, const char *msg)
{
	if (!r->err) {
		r->err = msg;
		r->err_pos = pos;
	}
	return -1;
}

/* Valid ECMA-262 that PCRE2 cannot run: noted, parsing goes on. */
static void unsupported(rx *r, size_t pos, const char *msg)
{
	if (!r->unsupported) {
		r->unsupported = msg;
		r->unsupported_pos = pos;
	}
}

static void put(rx *r, const char *s)
{
	if (sr_buf_puts(r->out, s) != 0)
		fail(r, r->pos, "pattern too large");
}

static void putf(rx *r, const char *fmt, uint32_t a)
{
	if (sr_buf_printf(r->out, fmt, a) != 0)
		fail(r, r->pos, "pattern too large");
}

static bool at(const rx *r, char c)
{
	return r->pos < r->len && r->s[r->pos] == (unsigned char)c;
}

static bool at_str(const rx *r, const char *str)
{
	size_t n = strlen(str);

	return r->len - r->pos >= n && memcmp(r->s + r->pos, str, n) == 0;
}

static bool is_surrogate(uint32_t cp)
{
	return cp >= 0xD800 && cp <= 0xDFFF;
}

/* Decode one UTF-8 code point at s[*i..n); advances *i. -1 if invalid. */
static int32_t utf8_decode(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[*i], need, k;
	uint32_t cp, min;

	if (c < 0x80) {
		(*i)++;
		return (int32_t)c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1, cp = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, cp = c & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (n - *i <= need)
		return -1;
	for (k = 1; k <= need; k++) {
		if ((s[*i + k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || is_surrogate(cp))
		return -1;
	*i += need + 1;
	return (int32_t)cp;
}

static void utf8_encode(sr_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	sr_buf_put(b, u, n);
}

/* Write one code point as a PCRE2 literal (outside or inside a class). */
static void put_cp(rx *r, uint32_t cp)
{
	char c[2] = { (char)cp, 0 };

	if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
		put(r, c);
	else
		putf(r, "\\x{%X}", cp);
}

/* A literal outside a class: a lone surrogate never matches UTF-8 text. */
static void put_literal(rx *r, uint32_t cp)
{
	if (is_surrogate(cp))
		put(r, "(?:(?!))");
	else
		put_cp(r, cp);
}

/* A range inside a class, without its surrogate part; false if empty. */
static bool put_class_range(rx *r, uint32_t lo, uint32_t hi)
{
	if (is_surrogate(lo))
		lo = 0xE000;
	if (is_surrogate(hi))
		hi = 0xD7FF;
	if (lo > hi)
		return false;
	put_cp(r, lo);
	if (hi != lo) {
		put(r, "-");
		put_cp(r, hi);
	}
	return true;
}

/* The members (or the complement) of a sorted range list, inside a class. */
static void put_ranges(rx *r, const rx_range *rg, size_t n, bool complement)
{
	uint32_t next = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!complement)
			put_class_range(r, rg[i].lo, rg[i].hi);
		else if (rg[i].lo > next)
			put_class_range(r, next, rg[i].lo - 1);
		next = rg[i].hi + 1;
	}
	if (complement && next <= 0x10FFFF)
		put_class_range(r, next, 0x10FFFF);
}

/* ---- escapes --------------------------------------------------------------- */

/* Exactly `n` hex digits at pos; advances. -1 if not. */
static int32_t hex_n(rx *r, unsigned n)
{
	uint32_t v = 0;
	unsigned k;

	if (r->len - r->pos < n)
		return -1;
	for (k = 0; k < n; k++) {
		int h = sr_hex_digit(r->s[r->pos + k]);
		if (h < 0)
			return -1;
		v = v * 16 + (uint32_t)h;
	}
	r->pos += n;
	return (int32_t)v;
}

/* After "\u": \u{...}, \uXXXX, or a surrogate pair \uXXXX\uXXXX. */
static int32_t unicode_escape(rx *r)
{
	size_t start = r->pos;
	int32_t v, lo;

	if (at(r, '{')) {
		uint32_t cp = 0;
		size_t digits = 0;

		r->pos++;
		while (r->pos < r->len && sr_hex_digit(r->s[r->pos]) >= 0) {
			cp = cp * 16 + (uint32_t)sr_hex_digit(r->s[r->pos]);
			if (cp > 0x10FFFF)
				return fail(r, start, "\\u{...} code point above 10FFFF");
			r->pos++, digits++;
		}
		if (!digits || !at(r, '}'))
			return fail(r, start, "invalid \\u{...} escape");
		r->pos++;
		return (int32_t)cp;
	}
	v = hex_n(r, 4);
	if (v < 0)
		return fail(r, start, "invalid \\u escape");
	if (v >= 0xD800 && v <= 0xDBFF && at_str(r, "\\u")) {
		size_t save = r->pos;

		r->pos += 2;
		lo = hex_n(r, 4);
		if (lo >= 0xDC00 && lo <= 0xDFFF)
			return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
		r->pos = save;
	}
	return v;
}

static bool is_syntax_char(int c)
{
	return c && strchr("^$\\.*+?()[]{}|", c) != NULL;
}

/*
 * A CharacterEscape whose letter is at pos (the backslash consumed):
 * the code point, or -1 after recording an error.
 */
static int32_t char_escape(rx *r, bool in_class)
{
	size_t start = r->pos - 1;
	int c = r->s[r->pos];
	int32_t v;

	r->pos++;
	switch (c) {
	case 'f':
		return 0x0C;
	case 'n':
		return 0x0A;
	case 'r':
		return 0x0D;
	case 't':
		return 0x09;
	case 'v':
		return 0x0B;
	case 'c':
		if (r->pos < r->len && ((r->s[r->pos] | 0x20) >= 'a' && (r->s[r->pos] | 0x20) <= 'z'))
			return r->s[r->pos++] % 32;
		return fail(r, start, "\\c must be followed by a letter");
	case '0':
		if (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
			return fail(r, start, "invalid decimal escape");
		return 0;
	case 'x':
		v = hex_n(r, 2);
		return v < 0 ? fail(r, start, "\\x must be followed by two hex digits") : v;
	case 'u':
		return unicode_escape(r);
	case '/':
		return '/';
	case '-':
		if (in_class || r->lenient)
			return '-';
		break;
	default:
		if (is_syntax_char(c) || (r->lenient && c > 0x20 && c < 0x7f && !isalnum(c)))
			return c;
		break;
	}
	return fail(r, start, "invalid escape");
}

/*
 * \p{...} / \P{...} after the letter: writes \p{X} or \P{X} (inside or
 * outside a class).
 */
static int property_escape(rx *r, bool negated)
{
	size_t start = r->pos - 2, b, e, eq = 0;
	char name[64], value[64];
	const rx_prop *p = NULL;
	const char *kind = "";

	if (!at(r, '{'))
		return fail(r, start, "\\p must be followed by {");
	b = ++r->pos;
	while (r->pos < r->len && r->s[r->pos] != '}') {
		int c = r->s[r->pos];
		if (c == '=' && !eq)
			eq = r->pos;
		else if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') && c != '_')
			return fail(r, start, "invalid property name");
		r->pos++;
	}
	if (r->pos >= r->len)
		return fail(r, start, "unterminated property escape");
	e = r->pos++;
	if (!eq) {
		if (e - b == 0 || e - b >= sizeof(value))
			return fail(r, start, "invalid property name");
		memcpy(value, r->s + b, e - b);
		value[e - b] = '\0';
		p = prop_find(gc_values, RX_NRANGES(gc_values), value);
		if (!p)
			p = prop_find(binary_props, RX_NRANGES(binary_props), value);
	} else {
		if (eq - b >= sizeof(name) || e - eq - 1 >= sizeof(value) || eq == b || e == eq + 1)
			return fail(r, start, "invalid property name");
		memcpy(name, r->s + b, eq - b);
		name[eq - b] = '\0';
		memcpy(value, r->s + eq + 1, e - eq - 1);
		value[e - eq - 1] = '\0';
		if (!strcmp(name, "General_Category") || !strcmp(name, "gc")) {
			p = prop_find(gc_values, RX_NRANGES(gc_values), value);
		} else if (!strcmp(name, "Script") || !strcmp(name, "sc")) {
			p = prop_find(script_values, RX_NRANGES(script_values), value);
			kind = "sc=";
		} else if (!strcmp(name, "Script_Extensions") || !strcmp(name, "scx")) {
			p = prop_find(script_values, RX_NRANGES(script_values), value);
			kind = "scx=";
		}
	}
	if (!p)
		return fail(r, start, "unknown Unicode property");
	if (!p->pcre) {
		unsupported(r, start, "Unicode property unknown to the regex engine");
		put(r, "(?!)");
		return 0;
	}
	if (p->pcre[0] == '^')
		negated = !negated;
	put(r, negated ? "\\P{" : "\\p{");
	put(r, kind);
	put(r, p->pcre[0] == '^' ? p->pcre + 1 : p->pcre);
	put(r, "}");
	return 0;
}

/* \d \D \w \W \s \S: the class letter. */
static bool is_class_escape(int c)
{
	return c && strchr("dDwWsS", c) != NULL;
}

/* A class escape inside a class: its members as ranges. */
static void put_class_escape_members(rx *r, int c)
{
	bool neg = c == 'D' || c == 'W' || c == 'S';

	switch (c | 0x20) {
	case 'd':
		put_ranges(r, digit_ranges, RX_NRANGES(digit_ranges), neg);
		break;
	case 'w':
		put_ranges(r, word_ranges, RX_NRANGES(word_ranges), neg);
		break;
	default:
		put_ranges(r, space_ranges, RX_NRANGES(space_ranges), neg);
		break;
	}
}

/* ---- group names ----------------------------------------------------------- */

static pthread_once_t ident_once = PTHREAD_ONCE_INIT;
static pcre2_code *ident_re;

static void ident_init(void)
{
	static const char pat[] =
		"\\A[\\p{ID_Start}$_][\\p{ID_Continue}$\\x{200C}\\x{200D}]*\\z";
	int code;
	PCRE2_SIZE off;

	ident_re = pcre2_compile((PCRE2_SPTR)pat, sizeof(pat) - 1, PCRE2_UTF, &code, &off, NULL);
}

/* Is the UTF-8 string a RegExpIdentifierName (ID_Start/ID_Continue)? */
static bool valid_identifier(const char *s, size_t n)
{
	pcre2_match_data *md;
	bool ok;

	pthread_once(&ident_once, ident_init);
	if (!ident_re)
		return false;
	md = pcre2_match_data_create(1, NULL);
	if (!md)
		return false;
	ok = pcre2_match(ident_re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
	pcre2_match_data_free(md);
	return ok;
}

/* After "<": a GroupName up to ">", decoded into `name` (UTF-8). */
static int group_name(rx *r, sr_buf *name)
{
	size_t start = r->pos - 1;

	while (r->pos < r->len && r->s[r->pos] != '>') {
		int32_t cp;

		if (r->s[r->pos] == '\\') {
			r->pos++;
			if (!at(r, 'u'))
				return fail(r, start, "invalid group name");
			r->pos++;
			cp = unicode_escape(r);
			if (cp < 0)
				return -1;
		} else {
			cp = utf8_decode(r->s, r->len, &r->pos);
			if (cp < 0)
				return fail(r, r->pos, "invalid UTF-8");
		}
		if (is_surrogate((uint32_t)cp))
			return fail(r, start, "invalid group name");
		utf8_encode(name, (uint32_t)cp);
	}
	if (r->pos >= r->len || name->len == 0 || !valid_identifier(name->ptr, name->len))
		return fail(r, start, "invalid group name");
	r->pos++;
	return 0;
}

static rx_name *name_find(rx *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		if (r->names[i].len == n && memcmp(r->names[i].name, s, n) == 0)
			return &r->names[i];
	return NULL;
}

static int name_add(rx *r, const sr_buf *name, unsigned group, size_t pos)
{
	if (name_find(r, name->ptr, name->len))
		return fail(r, pos, "duplicate group name");
	if (r->nnames == r->names_cap) {
		r->names_cap = r->names_cap ? 2 * r->names_cap : 8;
		r->names = sr_realloc(r->names, r->names_cap * sizeof(*r->names));
	}
	r->names[r->nnames].name = sr_strndup(name->ptr, name->len);
	r->names[r->nnames].len = name->len;
	r->names[r->nnames].group = group;
	r->nnames++;
	return 0;
}

/* ---- the grammar ----------------------------------------------------------- */

static int disjunction(rx *r);

/* [...] (the "[" consumed). */
static int char_class(rx *r)
{
	size_t start = r->pos - 1, mark;
	bool neg = false;
	unsigned items = 0;

	if (at(r, '^')) {
		neg = true;
		r->pos++;
	}
	put(r, neg ? "[^" : "[");
	mark = r->out->len;
	for (;;) {
		int32_t lo, hi;
		int set = 0; /* a class escape letter, or 'p' for a property */

		if (r->pos >= r->len)
			return fail(r, start, "unterminated character class");
		if (at(r, ']'))
			break;
		/* ClassAtom */
		if (at(r, '\\')) {
			int c;

			r->pos++;
			if (r->pos >= r->len)
				return fail(r, r->pos - 1, "\\ at end of pattern");
			c = r->s[r->pos];
			if (is_class_escape(c)) {
				r->pos++;
				put_class_escape_members(r, c);
				set = c, lo = -1;
			} else if (c == 'p' || c == 'P') {
				r->pos++;
				if (property_escape(r, c == 'P') < 0)
					return -1;
				set = 'p', lo = -1;
			} else if (c == 'b') {
				r->pos++;
				lo = 0x08;
			} else {
				lo = char_escape(r, true);
				if (lo < 0)
					return -1;
			}
		} else {
			lo = utf8_decode(r->s, r->len, &r->pos);
			if (lo < 0)
				return fail(r, r->pos, "invalid UTF-8");
		}
		if (!(at(r, '-') && r->pos + 1 < r->len && r->s[r->pos + 1] != ']')) {
			if (set)
				items++;
			else if (is_surrogate((uint32_t)lo) ? false : put_class_range(r, (uint32_t)lo, (uint32_t)lo))
				items++;
			continue;
		}
		/* a range: ClassAtom - ClassAtom */
		r->pos++;
		if (at(r, '\\')) {
			int c;

			r->pos++;
			if (r->pos >= r->len)
				return fail(r, r->pos - 1, "\\ at end of pattern");
			c = r->s[r->pos];
			if (set || is_class_escape(c) || c == 'p' || c == 'P')
				return fail(r, start, "a class escape cannot be a range endpoint");
			if (c == 'b') {
				r->pos++;
				hi = 0x08;
			} else {
				hi = char_escape(r, true);
				if (hi < 0)
					return -1;
			}
		} else {
			if (set)
				return fail(r, start, "a class escape cannot be a range endpoint");
			hi = utf8_decode(r->s, r->len, &r->pos);
			if (hi < 0)
				return fail(r, r->pos, "invalid UTF-8");
		}
		if (lo > hi)
			return fail(r, start, "range out of order in character class");
		if (put_class_range(r, (uint32_t)lo, (uint32_t)hi))
			items++;
	}
	r->pos++;
	if (items) {
		put(r, "]");
	} else {
		/* [] matches nothing, [^] anything (a class of only lone surrogates too). */
		sr_buf_truncate(r->out, mark - (neg ? 2 : 1));
		put(r, neg ? "[\\x{0}-\\x{10FFFF}]" : "(?:(?!))");
	}
	return 0;
}

/* Digits at pos as a number, saturating at UINT32_MAX. */
static uint32_t decimal(rx *r)
{
	uint64_t v = 0;

	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9') {
		v = v * 10 + (r->s[r->pos++] - '0');
		if (v > UINT32_MAX)
			v = UINT32_MAX;
	}
	return (uint32_t)v;
}

/*
 * A braced quantifier {n}, {n,}, {n,m} at pos: true and the bounds when
 * there is one (pos after "}"), false and pos unchanged otherwise.
 */
static bool braced_quantifier(rx *r, uint32_t *min, uint32_t *max, bool *unbounded)
{
	size_t save = r->pos;

	if (!at(r, '{'))
		return false;
	r->pos++;
	if (!(r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9'))
		goto no;
	*min = decimal(r);
	*max = *min;
	*unbounded = false;
	if (at(r, ',')) {
		r->pos++;
		if (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
			*max = decimal(r);
		else
			*unbounded = true;
	}
	if (!at(r, '}'))
		goto no;
	r->pos++;
	return true;
no:
	r->pos = save;
	return false;
}

static bool at_quantifier(rx *r)
{
	uint32_t a, b;
	bool u;
	size_t save = r->pos;
	bool q;

	if (at(r, '*') || at(r, '+') || at(r, '?'))
		return true;
	q = braced_quantifier(r, &a, &b, &u);
	r->pos = save;
	return q;
}

/* An optional quantifier after an atom. */
static int quantifier(rx *r)
{
	size_t start = r->pos;
	uint32_t min, max;
	bool unbounded;

	if (at(r, '*') || at(r, '+') || at(r, '?')) {
		char q[2] = { (char)r->s[r->pos++], 0 };
		put(r, q);
	} else if (braced_quantifier(r, &min, &max, &unbounded)) {
		if (!unbounded && min > max)
			return fail(r, start, "numbers out of order in {} quantifier");
		if (min > RX_MAX_COUNT || (!unbounded && max > RX_MAX_COUNT))
			unsupported(r, start, "repeat count above 65535");
		if (unbounded)
			putf(r, "{%u,}", min > RX_MAX_COUNT ? RX_MAX_COUNT : min);
		else if (min == max)
			putf(r, "{%u}", min > RX_MAX_COUNT ? RX_MAX_COUNT : min);
		else {
			putf(r, "{%u,", min > RX_MAX_COUNT ? RX_MAX_COUNT : min);
			putf(r, "%u}", max > RX_MAX_COUNT ? RX_MAX_COUNT : max);
		}
	} else {
		return 0;
	}
	if (at(r, '?')) {
		r->pos++;
		put(r, "?");
	}
	if (at(r, '*') || at(r, '+') || at(r, '?') || at(r, '{'))
		return fail(r, r->pos, "nothing to repeat");
	return 0;
}

/* (?ims-ims: after "(?": the flags up to ":" (consumed). */
static int modifiers(rx *r, bool *add_i, bool *rem_i, unsigned *add, unsigned *rem)
{
	size_t start = r->pos - 2;
	unsigned seen = 0, *set = add;
	bool minus = false;

	*add = *rem = 0;
	while (r->pos < r->len && r->s[r->pos] != ':') {
		int c = r->s[r->pos];
		unsigned bit = c == 'i' ? 1u : c == 'm' ? 2u : c == 's' ? 4u : 0u;

		if (c == '-' && !minus) {
			minus = true;
			set = rem;
		} else if (!bit) {
			return fail(r, start, "invalid group");
		} else if (seen & bit) {
			return fail(r, start, "repeated flag in a modifier group");
		} else {
			seen |= bit;
			*set |= bit;
		}
		r->pos++;
	}
	if (r->pos >= r->len || (minus && !*add && !*rem))
		return fail(r, start, "invalid group");
	r->pos++;
	*add_i = *add & 1u;
	*rem_i = *rem & 1u;
	return 0;
}

/* A group (the "(" at pos); `lookaround` when it is an assertion. */
static int group(rx *r, bool *lookaround)
{
	size_t start = r->pos;
	bool icase = r->icase, multiline = r->multiline, dotall = r->dotall;
	int rc;

	*lookaround = false;
	if (++r->depth > RX_MAX_NESTING)
		return fail(r, start, "groups nested too deeply");
	r->pos++;
	if (at_str(r, "?=") || at_str(r, "?!")) {
		put(r, at_str(r, "?=") ? "(?=" : "(?!");
		r->pos += 2;
		*lookaround = true;
	} else if (at_str(r, "?<=") || at_str(r, "?<!")) {
		put(r, at_str(r, "?<=") ? "(?<=" : "(?<!");
		r->pos += 3;
		*lookaround = true;
	} else if (at_str(r, "?<")) {
		sr_buf name = SR_BUF_INIT;

		r->pos += 2;
		rc = group_name(r, &name);
		r->groups++;
		if (rc == 0 && r->pass == 1)
			rc = name_add(r, &name, r->groups, start);
		sr_buf_dispose(&name);
		if (rc < 0)
			return -1;
		put(r, "(");
	} else if (at_str(r, "?:")) {
		r->pos += 2;
		put(r, "(?:");
	} else if (at(r, '?')) {
		bool add_i, rem_i;
		unsigned add, rem;

		r->pos++;
		if (modifiers(r, &add_i, &rem_i, &add, &rem) < 0)
			return -1;
		put(r, add_i ? "(?i:" : rem_i ? "(?-i:" : "(?:");
		r->icase = (r->icase || add_i) && !rem_i;
		r->multiline = (r->multiline || (add & 2u)) && !(rem & 2u);
		r->dotall = (r->dotall || (add & 4u)) && !(rem & 4u);
	} else {
		r->groups++;
		put(r, "(");
	}
	rc = disjunction(r);
	r->icase = icase, r->multiline = multiline, r->dotall = dotall;
	r->depth--;
	if (rc < 0)
		return -1;
	if (!at(r, ')'))
		return fail(r, start, "missing )");
	r->pos++;
	put(r, ")");
	return 0;
}

/* \ in atom position (the backslash at pos). `assertion` for \b \B. */
static int atom_escape(rx *r, bool *assertion)
{
	size_t start = r->pos;
	int c;

	r->pos++;
	if (r->pos >= r->len)
		return fail(r, start, "\\ at end of pattern");
	c = r->s[r->pos];
	if (c == 'b' || c == 'B') {
		r->pos++;
		put(r, c == 'b' ? "\\b" : "\\B");
		*assertion = true;
		return 0;
	}
	if (is_class_escape(c)) {
		r->pos++;
		put(r, "[");
		put_class_escape_members(r, c);
		put(r, "]");
		return 0;
	}
	if (c == 'p' || c == 'P') {
		r->pos++;
		return property_escape(r, c == 'P');
	}
	if (c >= '1' && c <= '9') {
		uint32_t n = decimal(r);

		if (r->pass == 2 && n > r->total)
			return fail(r, start, "backreference to a group that does not exist");
		putf(r, "\\g{%u}", n);
		return 0;
	}
	if (c == 'k') {
		sr_buf name = SR_BUF_INIT;
		rx_name *g = NULL;
		int rc;

		r->pos++;
		if (!at(r, '<'))
			return fail(r, start, "\\k must be followed by a group name");
		r->pos++;
		rc = group_name(r, &name);
		if (rc == 0 && r->pass == 2) {
			g = name_find(r, name.ptr, name.len);
			if (!g)
				rc = fail(r, start, "backreference to a group name that does not exist");
			else
				putf(r, "\\g{%u}", g->group);
		}
		sr_buf_dispose(&name);
		return rc;
	}
	{
		int32_t cp = char_escape(r, false);

		if (cp < 0)
			return -1;
		put_literal(r, (uint32_t)cp);
	}
	return 0;
}

/* Term: an assertion, or an atom with an optional quantifier. */
static int term(rx *r)
{
	size_t start = r->pos;
	int c = r->s[r->pos];
	bool assertion = false;

	switch (c) {
	case '^':
		r->pos++;
		put(r, r->multiline ? "(?<![^" LINE_TERMINATORS "])" : "\\A");
		assertion = true;
		break;
	case '$':
		r->pos++;
		put(r, r->multiline ? "(?![^" LINE_TERMINATORS "])" : "\\z");
		assertion = true;
		break;
	case '\\':
		if (atom_escape(r, &assertion) < 0)
			return -1;
		break;
	case '(':
		if (group(r, &assertion) < 0)
			return -1;
		break;
	case '[':
		r->pos++;
		if (char_class(r) < 0)
			return -1;
		break;
	case '.':
		r->pos++;
		put(r, r->dotall ? "[\\x{0}-\\x{10FFFF}]" : "[^" LINE_TERMINATORS "]");
		break;
	case '*':
	case '+':
	case '?':
		return fail(r, start, "nothing to repeat");
	case '{':
		if (at_quantifier(r) || !r->lenient)
			return fail(r, start,
				    at_quantifier(r) ? "nothing to repeat" : "lone { (escape it)");
		__attribute__((fallthrough)); /* a literal in lenient mode */
	case '}':
	case ']':
		if (!r->lenient)
			return fail(r, start, c == '}' ? "lone } (escape it)" : "lone ] (escape it)");
		r->pos++;
		put_literal(r, (uint32_t)c);
		break;
	default: {
		int32_t cp = utf8_decode(r->s, r->len, &r->pos);

		if (cp < 0)
			return fail(r, start, "invalid UTF-8");
		put_literal(r, (uint32_t)cp);
		break;
	}
	}
	if (assertion) {
		if (at_quantifier(r))
			return fail(r, r->pos, "nothing to repeat");
		return 0;
	}
	return quantifier(r);
}

static int disjunction(rx *r)
{
	for (;;) {
		while (r->pos < r->len && !at(r, '|') && !at(r, ')'))
			if (term(r) < 0)
				return -1;
		if (!at(r, '|'))
			return r->err ? -1 : 0;
		r->pos++;
		put(r, "|");
	}
}

/*
 * Parse `pattern` twice (names and group count first, then references)
 * and write the PCRE2 pattern to `out`. 0, or -1 with r->err set.
 */
static int translate(rx *r, const char *pattern, size_t len, sr_buf *out, bool lenient)
{
	int pass;

	memset(r, 0, sizeof(*r));
	r->lenient = lenient;
	r->s = (const unsigned char *)pattern;
	r->len = len;
	r->out = out;
	for (pass = 1; pass <= 2; pass++) {
		r->pass = pass;
		r->pos = 0;
		r->total = r->groups;
		r->groups = 0;
		r->depth = 0;
		sr_buf_clear(out);
		if (disjunction(r) < 0)
			return -1;
		if (r->pos < r->len)
			return fail(r, r->pos, "unmatched )");
	}
	return 0;
}

static void translate_done(rx *r)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		free(r->names[i].name);
	free(r->names);
	r->names = NULL;
	r->nnames = 0;
}

/* ---- the public interface ----------------------------------------------- */

int sr_regex_compile(sr_regex **out, const char *pattern, size_t len, sr_err *err)
{
	sr_buf pcre = SR_BUF_INIT;
	pcre2_code *code = NULL;
	int rc = SR_OK, ecode;
	PCRE2_SIZE eoff;

	*out = NULL;
	sr_buf_init(&pcre, RX_MAX_OUTPUT);
	rc = sr_regex__translate(&pcre, pattern, len, err);
	if (rc < 0)
		goto done;
	code = pcre2_compile((PCRE2_SPTR)(pcre.ptr ? pcre.ptr : ""), pcre.len,
			     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NO_UTF_CHECK |
				     PCRE2_MATCH_UNSET_BACKREF | PCRE2_DOLLAR_ENDONLY |
				     PCRE2_NEVER_BACKSLASH_C | PCRE2_NEVER_UCP,
			     &ecode, &eoff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(ecode, msg, sizeof(msg));
		rc = sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				"regular expression not supported: %s", (const char *)msg);
		goto done;
	}
	/* Without JIT (not built in, or no executable memory) PCRE2 interprets. */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	*out = sr_malloc(sizeof(**out));
	(*out)->code = code;
	code = NULL;
done:
	pcre2_code_free(code);
	sr_buf_dispose(&pcre);
	return rc;
}

void sr_regex_free(sr_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

int sr_regex__translate(sr_buf *out, const char *pattern, size_t len, sr_err *err)
{
	rx r;
	int rc = SR_OK;

	if (translate(&r, pattern ? pattern : "", pattern ? len : 0, out, false) < 0) {
		/* Schemas written for Java or for ECMA-262 without the u flag
		 * escape punctuation Unicode mode rejects (\-, \@) or use a lone
		 * ] or }: Confluent's validator accepts those, so the pattern
		 * keyword does too, as literals (ECMA-262 Annex B). */
		translate_done(&r);
		if (translate(&r, pattern ? pattern : "", pattern ? len : 0, out, true) < 0)
			rc = sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
					"invalid regular expression: %s at offset %zu", r.err,
					r.err_pos);
	}
	if (rc == SR_OK && r.unsupported)
		rc = sr_err_set(err, SR_EINVALID, SR_ERR_INVALID_SCHEMA,
				"regular expression not supported: %s at offset %zu", r.unsupported,
				r.unsupported_pos);
	translate_done(&r);
	return rc;
}

static bool valid_as(const char *pattern, size_t len, bool lenient)
{
	sr_buf scratch = SR_BUF_INIT;
	rx r;
	bool ok;

	sr_buf_init(&scratch, RX_MAX_OUTPUT);
	ok = translate(&r, pattern ? pattern : "", pattern ? len : 0, &scratch, lenient) == 0;
	translate_done(&r);
	sr_buf_dispose(&scratch);
	return ok;
}

bool sr_regex_valid(const char *pattern, size_t len)
{
	return valid_as(pattern, len, false);
}

bool sr_regex__valid_lenient(const char *pattern, size_t len)
{
	return valid_as(pattern, len, true);
}

/* ---- per-thread match state ------------------------------------------------ */

typedef struct rx_thread {
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *stack;
} rx_thread;

static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;
static _Thread_local rx_thread *thread_state;

static void thread_state_free(void *p)
{
	rx_thread *t = p;

	pcre2_match_data_free(t->md);
	pcre2_jit_stack_free(t->stack);
	pcre2_match_context_free(t->mctx);
	free(t);
}

static void thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_state_free);
}

static rx_thread *thread_get(void)
{
	rx_thread *t = thread_state;

	if (t)
		return t;
	pthread_once(&thread_once, thread_key_init);
	t = sr_calloc(1, sizeof(*t));
	t->mctx = pcre2_match_context_create(NULL);
	/* Match data for one pair: a search only needs a yes or a no. */
	t->md = pcre2_match_data_create(1, NULL);
	if (!t->mctx || !t->md)
		abort(); /* out of memory, as core/mem.h handles it */
	pcre2_set_heap_limit(t->mctx, RX_HEAP_LIMIT_KIB);
	t->stack = pcre2_jit_stack_create(RX_JIT_STACK_MIN, RX_JIT_STACK_MAX, NULL);
	if (t->stack)
		pcre2_jit_stack_assign(t->mctx, NULL, t->stack);
	pthread_setspecific(thread_key, t);
	thread_state = t;
	return t;
}

sr_regex_result sr_regex_search(const sr_regex *re, const char *subject, size_t len)
{
	rx_thread *t = thread_get();
	PCRE2_SPTR subj = (PCRE2_SPTR)(subject ? subject : "");
	uint64_t limit = RX_MATCH_LIMIT + (uint64_t)len * RX_MATCH_PER_BYTE;
	int rc;

	if (!subject)
		len = 0;
	pcre2_set_match_limit(t->mctx, limit > UINT32_MAX ? UINT32_MAX : (uint32_t)limit);
	pcre2_set_depth_limit(t->mctx, len > UINT32_MAX - RX_DEPTH_LIMIT ? UINT32_MAX
									: RX_DEPTH_LIMIT + (uint32_t)len);
	rc = pcre2_match(re->code, subj, len, 0, 0, t->md, t->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		size_t size = len > RX_JIT_STACK_HUGE / RX_JIT_STACK_PER_BYTE
				      ? RX_JIT_STACK_HUGE
				      : len * RX_JIT_STACK_PER_BYTE;
		pcre2_jit_stack *big = NULL;

		if (size > RX_JIT_STACK_MAX)
			big = pcre2_jit_stack_create(RX_JIT_STACK_MIN, size, NULL);
		if (big) {
			pcre2_jit_stack_assign(t->mctx, NULL, big);
			rc = pcre2_match(re->code, subj, len, 0, 0, t->md, t->mctx);
			pcre2_jit_stack_assign(t->mctx, NULL, t->stack);
			pcre2_jit_stack_free(big);
		}
	}
	if (rc >= 0) /* 0: matched, the ovector was too small for the groups */
		return SR_REGEX_MATCH;
	if (rc == PCRE2_ERROR_NOMATCH)
		return SR_REGEX_NOMATCH;
	/* match, depth, heap or JIT stack limit, or out of memory: no verdict */
	return SR_REGEX_LIMIT;
}
