{
  "Statement": [
%{ for arn in trail_arns ~}
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "${arn}"},
%{ endfor ~}
  ]
}
