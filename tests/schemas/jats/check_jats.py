"""Load the local JATS Archiving 1.3 XSD offline and validate the example instances."""
import pathlib
import sys
import time

from lxml import etree

HERE = pathlib.Path(__file__).resolve().parent
parser = etree.XMLParser(no_network=True)
t0 = time.perf_counter()
schema = etree.XMLSchema(etree.parse(str(HERE / "JATS-archivearticle1-3-mathml3.xsd"), parser))
seconds = time.perf_counter() - t0
print(f"schema loaded in {seconds:.2f}s; load-time warnings: {len(schema.error_log)}")
for w in schema.error_log:
    print("  ", w)
ok = True
for inst in sorted((HERE / "examples").glob("*.xml")):
    doc = etree.parse(str(inst), parser)
    valid = schema.validate(doc)
    ok &= valid
    print(f"{inst.name}: {'VALID' if valid else 'INVALID'}")
    for e in schema.error_log:
        print("   ", e)
sys.exit(0 if ok else 1)
