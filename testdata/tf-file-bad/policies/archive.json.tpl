{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "${principal}"},
      "Action": ["s3:GetBucketAcl", "s3:PutObject"],
      "Resource": ["${bucket_arn}", "${bucket_arn}/AWSLogs/*"]
    }
  ]
}
