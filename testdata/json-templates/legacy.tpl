{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::086441151436:root"},
      "Action": ["s3:GetBucketAcl", "s3:PutObject"],
      "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/AWSLogs/${account}/*"]
    }
  ]
}
