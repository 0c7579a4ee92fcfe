output "role_arn" {
  description = "The member role"
  value       = aws_iam_role.audit.arn
}
