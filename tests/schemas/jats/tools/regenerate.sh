#!/usr/bin/env bash
# Regenerate the JATS Archiving 1.3 (MathML3) XSD in this directory from the
# official NLM/NISO JATS 1.3 DTD suite.
#   usage: tools/regenerate.sh <dir with JATS-archivearticle1-3-mathml3.dtd> <output dir>
# needs: trang (Debian package "trang", tested with 20220510-2) and python3.
set -euo pipefail
dtd_dir=$1; out=$2
mkdir -p "$out"
trang -I dtd -O xsd "$dtd_dir/JATS-archivearticle1-3-mathml3.dtd" "$out/JATS-archivearticle1-3-mathml3.xsd"
# Patch 1: trang emits a schema for the xsi namespace, which XSD forbids
#          (xsi:* attributes are always allowed by XSD processors anyway).
# Patch 2: trang wraps xml:lang, xml:space and xlink:type in attribute groups
#          marked use="required"; in the DTD every use of them is optional.
rm -f "$out/xsi.xsd"
python3 - "$out" <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
counts = [0, 0, 0]
for f in sorted(out.glob("*.xsd")):
    s = o = f.read_text(encoding="utf-8")
    s, k = re.subn(r'\n\s*<xs:import namespace="http://www.w3.org/2001/XMLSchema-instance" schemaLocation="xsi.xsd"/>', "", s); counts[0] += k
    s, k = re.subn(r'\n\s*<xs:attribute ref="xsi:noNamespaceSchemaLocation"/>', "", s); counts[1] += k
    if f.name in ("xml.xsd", "xlink.xsd"):
        s, k = re.subn(r'(<xs:attributeGroup name="[a-z]+1?">\s*<xs:attribute name="[a-z]+") use="required"', r"\1", s); counts[2] += k
    if s != o:
        f.write_text(s, encoding="utf-8")
print("removed xsi imports: %d, removed xsi attribute refs: %d, made optional: %d" % tuple(counts))
PY
