"""Open DOCX files in LibreOffice (headless, through UNO), update every index and field as
Tools > Update > Update All does, and save each as PDF: what a LibreOffice user sees.

Run with the system Python, which has LibreOffice's `uno` module:
    python3 office_update.py PROFILE_DIR OUT_DIR FILE.docx...
Prints one line per file: `<name> ok` or `<name> failed: <reason>`."""

import os
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main(profile: str, outdir: str, files: list[str]) -> int:
    pipe = f"epdoc-test-{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless",
         "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = _connect(pipe, time.monotonic() + 120)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               ctx)
        for name in files:
            src = Path(name).resolve()
            try:
                doc = desktop.loadComponentFromURL(src.as_uri(), "_blank", 0,
                                                   (_prop("Hidden", True),))
                indexes = doc.getDocumentIndexes()
                for i in range(indexes.getCount()):
                    indexes.getByIndex(i).update()
                doc.getTextFields().refresh()
                target = Path(outdir).resolve() / (src.stem + ".pdf")
                doc.storeToURL(target.as_uri(), (_prop("FilterName", "writer_pdf_Export"),))
                doc.close(True)
                print(f"{src.name} ok", flush=True)
            except Exception as exc:  # noqa: BLE001 - reported per file
                print(f"{src.name} failed: {exc}", flush=True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes down with the office
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
