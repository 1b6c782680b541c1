#!/usr/bin/env python3
"""Applies a list of S3/SSM operations (JSON on stdin) to the box's local AWS endpoint (moto's server) with boto3:
one process for many objects, where one AWS CLI call per object would take a second each."""
import json
import sys

import boto3

request = json.load(sys.stdin)
kw = dict(endpoint_url=request["endpoint"], region_name=request["region"], aws_access_key_id="hostbox", aws_secret_access_key="hostbox")
s3 = boto3.client("s3", **kw)
ssm = boto3.client("ssm", **kw)
for op in request["operations"]:
    kind = op["op"]
    if kind == "create-bucket":
        s3.create_bucket(Bucket=op["bucket"])
    elif kind == "put-object":
        with open(op["file"], "rb") as body:
            s3.put_object(Bucket=op["bucket"], Key=op["key"], Body=body.read())
    elif kind == "delete-object":
        s3.delete_object(Bucket=op["bucket"], Key=op["key"])
    elif kind == "put-parameter":
        ssm.put_parameter(Name=op["name"], Value=op["value"], Type=op.get("type", "SecureString"), Overwrite=True)
    else:
        sys.exit(f"aws-seed: unknown operation {kind}")
print(f"aws-seed: applied {len(request['operations'])} operations")
