{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:GetBucketAcl",
      "Resource": "${bucket_arn}"
    },
    {
      "Effect": "Allow",
      "Principal": {"AWS": "${principal}"},
      "Action": "s3:PutObject",
      "Resource": "${bucket_arn}/AWSLogs/*",
      "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    }
  ]
}
