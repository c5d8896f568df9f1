#!/usr/bin/env python3
"""The iptables rules and chains the harness's node adds, and their removal.

    iptables_owned.py snapshot FILE              record the chains that exist now (IPv4 and IPv6)
    iptables_owned.py remove-since FILE POD_CIDR remove what the node added since (below)
    iptables_owned.py ensure-pod-rules BRIDGE SVC_IP SVC_PORT NODE_IP PORT
                                                 pods' connections to SVC_IP:SVC_PORT go to
                                                 NODE_IP:PORT (the API server's forwarder); pods
                                                 cannot reach the cloud metadata address

What is the node's:
  - rules carrying the comment "mlstack-harness" (the ones ensure-pod-rules adds)
  - chains that appeared after the snapshot and are the kubelet's (KUBE-*), or CNI's (CNI-*)
    jumped to by a rule of the CNI network "mlstack" for an address in POD_CIDR
  - the rules that jump to those chains
Anything else, another tool's chains made while the node ran (fail2ban, Docker, ...) included,
is left alone.
"""
import ipaddress
import json
import shlex
import subprocess
import sys

FAMILIES = {"ipv4": ("iptables", "iptables-save"), "ipv6": ("ip6tables", "ip6tables-save")}
OUR_COMMENTS = ('mlstack-harness', 'name: "mlstack"', 'name: \\"mlstack\\"')
BUILTIN = {"INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"}


def save(family):
    _, save_cmd = FAMILIES[family]
    try:
        out = subprocess.run([save_cmd], check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        return {}
    tables, table = {}, None
    for line in out.splitlines():
        if line.startswith("*"):
            table = line[1:]
            tables[table] = {"chains": [], "rules": []}
        elif line.startswith(":") and table:
            tables[table]["chains"].append(line[1:].split()[0])
        elif line.startswith("-A ") and table:
            tables[table]["rules"].append(line)
    return tables


def snapshot(path):
    state = {fam: {t: v["chains"] for t, v in save(fam).items()} for fam in FAMILIES}
    with open(path, "w") as f:
        json.dump(state, f)


def our_cni_rule(rule, args, pod_cidr):
    """A rule the bridge plugin added for one of this node's pods."""
    if not any(c in rule for c in OUR_COMMENTS[1:]) or "-s" not in args:
        return False
    try:
        return ipaddress.ip_network(args[args.index("-s") + 1], strict=False).subnet_of(pod_cidr)
    except (ValueError, TypeError):
        return False


def target_of(args):
    for flag in ("-j", "-g"):
        if flag in args:
            return args[args.index(flag) + 1]
    return None


def owned(before, pod_cidr):
    """(family, table, rules to delete, chains to delete) the node added since the snapshot."""
    pod_cidr = ipaddress.ip_network(pod_cidr)
    plan = []
    for fam in FAMILIES:
        for table, now in save(fam).items():
            old = set(before.get(fam, {}).get(table, []))
            new = [c for c in now["chains"] if c not in old and c not in BUILTIN]
            parsed = [(rule, shlex.split(rule)) for rule in now["rules"]]
            cni_jumped = {target_of(args) for rule, args in parsed if our_cni_rule(rule, args, pod_cidr)}
            chains = [c for c in new if c.startswith("KUBE-") or (c.startswith("CNI-") and c in cni_jumped)]
            rules = []
            for rule, args in parsed:
                if args[1] in chains:
                    continue  # flushed with its chain
                if target_of(args) in chains or "mlstack-harness" in rule:
                    rules.append(args)
            if rules or chains:
                plan.append((fam, table, rules, chains))
    return plan


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"iptables_owned: {' '.join(cmd)}: {r.stderr.strip()}", file=sys.stderr)
    return r.returncode == 0


def remove_since(path, pod_cidr):
    try:
        with open(path) as f:
            before = json.load(f)
    except FileNotFoundError:
        return True
    ok = True
    for fam, table, rules, chains in owned(before, pod_cidr):
        tool = FAMILIES[fam][0]
        for args in rules:
            ok &= run([tool, "-w", "-t", table, "-D"] + args[1:])
        for chain in chains:
            ok &= run([tool, "-w", "-t", table, "-F", chain])
        for chain in chains:
            ok &= run([tool, "-w", "-t", table, "-X", chain])
    return ok


def ensure_rule(table, spec):
    """Add the rule unless it is there (-C); the rules of ours it replaces were removed first."""
    if subprocess.run(["iptables", "-w", "-t", table, "-C"] + spec, capture_output=True).returncode == 0:
        return True
    return run(["iptables", "-w", "-t", table, "-A"] + spec)


def ensure_pod_rules(bridge, svc_ip, svc_port, node_ip, port):
    tag = ["-m", "comment", "--comment", "mlstack-harness"]
    dnat = ["PREROUTING", "-i", bridge, "-d", f"{svc_ip}/32", "-p", "tcp", "-m", "tcp", "--dport", svc_port,
            *tag, "-j", "DNAT", "--to-destination", f"{node_ip}:{port}"]
    metadata = ["FORWARD", "-i", bridge, "-d", "169.254.169.254/32", *tag, "-j", "DROP"]
    # A DNAT of ours to another port (the API server restarted elsewhere) goes first.
    if subprocess.run(["iptables", "-w", "-t", "nat", "-C"] + dnat, capture_output=True).returncode != 0:
        for rule in save("ipv4").get("nat", {}).get("rules", []):
            args = shlex.split(rule)
            if args[1] == "PREROUTING" and "mlstack-harness" in rule:
                run(["iptables", "-w", "-t", "nat", "-D"] + args[1:])
    return ensure_rule("nat", dnat) and ensure_rule("filter", metadata)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    ok = {"snapshot": lambda: snapshot(*args) or True, "remove-since": lambda: remove_since(*args),
          "ensure-pod-rules": lambda: ensure_pod_rules(*args)}[cmd]()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
