#!/bin/sh
# Collects what trailguard needs to lint an account's live CloudTrail setup, using only the AWS
# CLI (read-only calls), into a folder you then scan:
#
#   sh examples/live/collect.sh live/ && trailguard scan live/
#
# describe-trails gives every trail (bucket, prefix, KMS key, organization trail or not); for
# each bucket and key it names, get-bucket-policy / get-key-policy give the policy as deployed.
# trailguard links them by their literal names and checks each policy against the trails that
# deliver there. Run it with credentials of the account that owns the buckets and keys (for an
# organization trail, the logging account: run it there too, into the same folder).
set -eu
out="${1:-live}"
mkdir -p "$out"
aws cloudtrail describe-trails --output json > "$out/describe-trails.json"
# Bucket and key of each trail, one "bucket<TAB>key" line per trail.
aws cloudtrail describe-trails --output text \
    --query 'trailList[].[S3BucketName, KmsKeyId]' |
while IFS="$(printf '\t')" read -r bucket key; do
    if [ -n "$bucket" ] && [ "$bucket" != "None" ] && [ ! -e "$out/bucket-$bucket.json" ]; then
        aws s3api get-bucket-policy --bucket "$bucket" --output json \
            > "$out/bucket-$bucket.json" ||
            echo "no policy read for bucket $bucket (no policy, or not this account's)" >&2
    fi
    if [ -n "$key" ] && [ "$key" != "None" ]; then
        # key-<KEY-ID>.json: trailguard links the policy to the trails whose KmsKeyId ends with
        # that ID (get-key-policy output does not name its key).
        name="key-$(printf '%s' "${key##*/}" | tr -c 'A-Za-z0-9_.-' '_').json"
        aws kms get-key-policy --key-id "$key" --policy-name default --output json \
            > "$out/$name" ||
            echo "no policy read for key $key (not this account's?)" >&2
    fi
done
echo "collected into $out/; now run: trailguard scan $out/"
