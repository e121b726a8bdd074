# The peer to beat in `npm run bench:terraform`: the plain Terraform module a platform team would
# write from the AWS docs for the same job, one database per `for_each` instance: a DNS lookup, a
# target group, an attachment and a listener per database, one internal NLB, one security group
# with two broad rules, and one endpoint service. No sharding, no checks, no outputs. (Past 50
# databases AWS would refuse its one NLB: 50 listeners per NLB, not adjustable. ../plain-sharded
# is the same module with one NLB per 50 databases; the bench plans both.)

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
    dns = { source = "hashicorp/dns" }
  }
}

variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "databases" {
  description = "name => database host, port, and the listener port notebooks use"
  type        = map(object({ host = string, port = number, listener_port = number }))
}

data "dns_a_record_set" "db" {
  for_each = var.databases
  host     = each.value.host
}

resource "aws_security_group" "router" {
  name   = "privatelink-router"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "private" {
  security_group_id = aws_security_group.router.id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 10000
  to_port           = 10999
}

resource "aws_vpc_security_group_egress_rule" "private" {
  security_group_id = aws_security_group.router.id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
}

resource "aws_lb" "router" {
  name               = "privatelink-router"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
  security_groups    = [aws_security_group.router.id]
}

resource "aws_lb_target_group" "db" {
  for_each    = var.databases
  name        = "plr-${each.key}"
  port        = each.value.port
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}

resource "aws_lb_target_group_attachment" "db" {
  for_each         = var.databases
  target_group_arn = aws_lb_target_group.db[each.key].arn
  target_id        = data.dns_a_record_set.db[each.key].addrs[0]
  port             = each.value.port
}

resource "aws_lb_listener" "db" {
  for_each          = var.databases
  load_balancer_arn = aws_lb.router.arn
  port              = each.value.listener_port
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.db[each.key].arn
  }
}

resource "aws_vpc_endpoint_service" "router" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.router.arn]
}
