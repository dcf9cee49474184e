resource "aws_s3_bucket" "logs" {
  bucket = "broken-trail-logs"

resource "aws_cloudtrail" "main" {
  name = "main"
}
