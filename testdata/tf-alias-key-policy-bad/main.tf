resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "a" {
  name          = "alias/cloudtrail"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_kms_key_policy" "k" {
  key_id = aws_kms_alias.a.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111111111111:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "logs"
  kms_key_id     = aws_kms_key.k.arn
}
