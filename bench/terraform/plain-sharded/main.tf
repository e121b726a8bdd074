# The plain module of bench/terraform/plain, written as AWS accepts it past 50 databases: an NLB
# takes at most 50 listeners and the quota is not adjustable, so a platform team writing from the
# AWS docs makes one NLB, security group and endpoint service per 50 databases (`shard` in each
# database's entry, computed with the listener port). Otherwise the same: a DNS lookup, a target
# group, an attachment and a listener per database, two broad rules per security group, no checks,
# no outputs.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
    dns = { source = "hashicorp/dns" }
  }
}

variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "databases" {
  description = "name => database host, port, the listener port notebooks use, and the NLB (shard) it is on"
  type        = map(object({ host = string, port = number, listener_port = number, shard = string }))
}

locals {
  shards = toset([for d in var.databases : d.shard])
}

data "dns_a_record_set" "db" {
  for_each = var.databases
  host     = each.value.host
}

resource "aws_security_group" "router" {
  for_each = local.shards
  name     = "privatelink-router-${each.key}"
  vpc_id   = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "private" {
  for_each          = local.shards
  security_group_id = aws_security_group.router[each.key].id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 10000
  to_port           = 10999
}

resource "aws_vpc_security_group_egress_rule" "private" {
  for_each          = local.shards
  security_group_id = aws_security_group.router[each.key].id
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
}

resource "aws_lb" "router" {
  for_each           = local.shards
  name               = "privatelink-router-${each.key}"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids
  security_groups    = [aws_security_group.router[each.key].id]
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
  load_balancer_arn = aws_lb.router[each.value.shard].arn
  port              = each.value.listener_port
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.db[each.key].arn
  }
}

resource "aws_vpc_endpoint_service" "router" {
  for_each                   = local.shards
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.router[each.key].arn]
}
