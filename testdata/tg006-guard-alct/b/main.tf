resource "aws_kms_key" "other" {
  description = "some other key"
}
resource "aws_kms_alias" "other" {
  name          = "alias/logs"
  target_key_id = aws_kms_key.other.key_id
}
