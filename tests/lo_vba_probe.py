"""Open workbooks in LibreOffice headless and report what its VBA support sees.

Run with a Python that has LibreOffice's ``uno`` module (the system python3
with python3-uno, not the project's virtual environment):

    python3 lo_vba_probe.py REQUEST.json

REQUEST: {"files": [{"path": ..., "invoke": [[macro, [args...]], ...],
"recalculate": true, "read": [[sheet index, cell]], "html": OUT.html}]}.
Prints one JSON object per file: the modules of its VBAProject library with
their source as LibreOffice decoded it, each invoked macro's result (or
error) and the cells read afterwards. ``recalculate`` recomputes every
formula first (a file written by a program may hold no results); ``html``
exports the workbook as HTML, where conditional formats show as LibreOffice
evaluated them.
Documents are loaded with MacroExecutionMode 4 (run macros, no prompt), the
way a trusted Excel document would run them. Nothing is saved.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import uno  # noqa: I001  (from LibreOffice, not from PyPI)
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port: int):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(url)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def probe(desktop, request: dict) -> dict:
    url = uno.systemPathToFileUrl(os.path.abspath(request["path"]))
    doc = desktop.loadComponentFromURL(
        url, "_blank", 0, (prop("Hidden", True), prop("MacroExecutionMode", 4))
    )
    try:
        report = {"path": request["path"], "modules": {}, "results": {}, "cells": {}}
        libraries = doc.BasicLibraries
        if libraries.hasByName("VBAProject"):
            libraries.loadLibrary("VBAProject")
            library = libraries.getByName("VBAProject")
            for name in library.getElementNames():
                report["modules"][name] = library.getByName(name)
        provider = doc.getScriptProvider()
        for macro, args in request.get("invoke", []):
            try:
                script = provider.getScript(
                    f"vnd.sun.star.script:VBAProject.{macro}?language=Basic&location=document"
                )
                result = script.invoke(tuple(args), (), ())[0]
                report["results"][macro] = {"ok": True, "value": result}
            except Exception as err:
                report["results"][macro] = {"ok": False, "error": f"{type(err).__name__}: {err}"}
        if request.get("recalculate"):
            doc.calculateAll()
        for index, cell in request.get("read", []):
            sheet = doc.Sheets.getByIndex(index)
            report["cells"][f"{index}!{cell}"] = sheet.getCellRangeByName(cell).getString()
        if request.get("html"):
            target = uno.systemPathToFileUrl(os.path.abspath(request["html"]))
            doc.storeToURL(target, (prop("FilterName", "HTML (StarCalc)"),))
        return report
    finally:
        doc.close(True)


@contextlib.contextmanager
def office():
    """A headless LibreOffice with a throw-away profile; yields its Desktop."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sheetkit-lo-") as profile:
        process = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
                f"--accept=socket,host=127.0.0.1,port={port};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            context = connect(port)
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            yield desktop
            with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
                desktop.terminate()
        finally:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def serve(probe_one) -> None:
    """Answer the request file named on the command line: one JSON report per file."""
    with open(sys.argv[1], encoding="utf-8") as f:
        requests = json.load(f)["files"]
    with office() as desktop:
        reports = [probe_one(desktop, request) for request in requests]
    json.dump(reports, sys.stdout, ensure_ascii=False)


def main() -> None:
    serve(probe)


if __name__ == "__main__":
    main()
