{
  "Sid": "AclCheck",
  "Effect": "Allow",
  "Principal": {"Service": "cloudtrail.amazonaws.com"},
  "Action": "s3:GetBucketAcl",
  "Resource": "arn:aws:s3:::${bucket}"
}
