//! Vietnamese text: NFC normalisation, slugs, tone-mark folding, collation and dates.
