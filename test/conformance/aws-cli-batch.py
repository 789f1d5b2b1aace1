"""Runs many AWS CLI commands in one Python process, through the AWS CLI's own entry point.

The AWS CLI v2 is a Python program that spends ~0.35 s of CPU starting up; the conformance test
asks it about a thousand questions (`aws configure get KEY --profile P`). This runs each of
them exactly as the `aws` script does (`awscli.clidriver.AWSCLIEntryPoint().main(argv)`, with a
fresh driver and session per call, so nothing is cached between calls), but without paying for
the interpreter and imports each time.

Input (stdin, JSON): {"calls": [{"env": {"NAME": "value", ...}, "argv": ["configure", ...]}, ...]}
Output (stdout, JSON): {"version": "<awscli.__version__>",
                        "results": [{"rc": 0, "stdout": "...", "stderr": "..."}, ...]}
"""
import contextlib
import io
import json
import os
import sys

import awscli
import awscli.clidriver


def run(call):
    os.environ.update(call["env"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = awscli.clidriver.AWSCLIEntryPoint().main(call["argv"])
    return {"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    request = json.load(sys.stdin)
    results = [run(call) for call in request["calls"]]
    json.dump({"version": awscli.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
