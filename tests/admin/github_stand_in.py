"""A stand-in for the GitHub API, for the web editor's token sign-in and its
editorial workflow (Sveltia CMS 0.221.1), answered by Playwright's request
routing: no request reaches github.com.

An in-memory repository (branches, commits, blobs, pull requests, labels)
answers the REST and GraphQL calls the editor makes, found by watching it
(`calls` records every one); a call it does not know is answered 404 and
recorded in `unknown`, so a test sees what it left unanswered.
"""

import base64
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

API = "https://api.github.com"
# The browser asks before sending a token to another origin: GitHub's API
# allows any origin, with any header.
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*",
        "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE", "Access-Control-Expose-Headers": "*"}


def object_id(kind, content):
    return hashlib.sha1(f"{kind} {len(content)}\0".encode() + content).hexdigest()


@dataclass
class Commit:
    oid: str
    tree: dict  # path -> blob sha
    parents: list
    message: str


@dataclass
class PullRequest:
    number: int
    title: str
    head: str
    base: str
    body: str = ""
    labels: list = field(default_factory=list)
    state: str = "open"


class GitHubStandIn:
    def __init__(self, owner, repo, files, token, branch="main", login="editor"):
        self.owner, self.repo, self.token, self.branch, self.login = owner, repo, token, branch, login
        self.blobs = {}
        self.commits = {}
        self.refs = {}
        self.pulls = []
        self.calls = []  # (method, path, GraphQL operation or None)
        self.unknown = []
        self.counter = itertools.count(1)
        tree = {path: self.add_blob(text.encode("utf-8")) for path, text in files.items()}
        self.refs[branch] = self.add_commit(tree, [], "Initial content").oid

    # --- The repository --------------------------------------------------

    def add_blob(self, content):
        sha = object_id("blob", content)
        self.blobs[sha] = content
        return sha

    def add_commit(self, tree, parents, message):
        oid = object_id("commit", json.dumps([sorted(tree.items()), parents, message, next(self.counter)]).encode())
        commit = Commit(oid, dict(tree), list(parents), message)
        self.commits[oid] = commit
        return commit

    def head(self, ref):
        """The commit a branch names, or a commit by its id."""
        return self.commits[self.refs.get(ref, ref)]

    def file(self, branch, path):
        """The text of `path` on `branch` (None: not there)."""
        sha = self.head(branch).tree.get(path)
        return None if sha is None else self.blobs[sha].decode("utf-8")

    # --- Answering -------------------------------------------------------

    def install(self, context):
        context.route(f"{API}/**", self.handle)

    def handle(self, route):
        request = route.request
        if request.method == "OPTIONS":
            return route.fulfill(status=204, headers=CORS)
        path = unquote(urlsplit(request.url).path)
        query = urlsplit(request.url).query
        if request.headers.get("authorization", "").split()[-1:] != [self.token]:
            self.calls.append((request.method, path, None))
            return self.answer(route, 401, {"message": "Bad credentials"})
        if path == "/graphql":
            payload = json.loads(request.post_data or "{}")
            operation = " ".join(payload.get("query", "").split())
            self.calls.append(("POST", path, operation))
            data = self.graphql(operation, payload.get("variables") or {})
            if data is None:
                self.unknown.append(f"GraphQL {operation[:200]}")
                return self.answer(route, 200, {"data": None, "errors": [{"message": "not answered by the stand-in"}]})
            return self.answer(route, 200, {"data": data})
        self.calls.append((request.method, path, None))
        body = json.loads(request.post_data) if request.post_data else None
        answered = self.rest(request.method, path, query, body)
        if answered is None:
            self.unknown.append(f"{request.method} {path}")
            return self.answer(route, 404, {"message": "Not Found"})
        return self.answer(route, *answered)

    @staticmethod
    def answer(route, status, body=None):
        if status == 204:
            return route.fulfill(status=204, headers=CORS)
        return route.fulfill(status=status, json=body, headers=CORS)

    def rest(self, method, path, query, body):
        repo = f"/repos/{self.owner}/{self.repo}"
        if path == "/user":
            return 200, {"id": 1, "login": self.login, "name": "Editor", "email": "editor@clinic.example",
                         "avatar_url": "", "html_url": f"https://github.com/{self.login}"}
        if method == "GET" and path == repo:
            return 200, {"full_name": f"{self.owner}/{self.repo}", "private": True, "fork": False,
                         "default_branch": self.branch, "owner": {"login": self.owner, "type": "Organization"},
                         "permissions": {"admin": False, "maintain": False, "push": True, "pull": True}}
        if path == f"{repo}/collaborators/{self.login}":
            return 204, None
        if not path.startswith(repo + "/"):
            return None
        rest = path[len(repo) + 1:]
        if method == "GET" and rest.startswith("git/trees/"):
            ref = rest[len("git/trees/"):]
            commit = self.commits.get(self.refs.get(ref, ref))
            if commit is None:
                return None
            return 200, {"sha": commit.oid, "truncated": False, "tree": [
                {"path": p, "mode": "100644", "type": "blob", "sha": s, "size": len(self.blobs[s])}
                for p, s in sorted(commit.tree.items())]}
        if method == "GET" and rest.startswith("git/blobs/"):
            content = self.blobs.get(rest[len("git/blobs/"):])
            if content is None:
                return None
            return 200, {"sha": rest[len("git/blobs/"):], "size": len(content), "encoding": "base64",
                         "content": base64.b64encode(content).decode()}
        if method == "POST" and rest == "git/refs":
            name = body["ref"].removeprefix("refs/heads/")
            self.refs[name] = body["sha"]
            return 201, {"ref": body["ref"], "object": {"sha": body["sha"], "type": "commit"}}
        if rest.startswith("git/refs/heads/"):
            name = rest[len("git/refs/heads/"):]
            if method == "GET":
                if name not in self.refs:
                    return 404, {"message": "Not Found"}
                return 200, {"ref": f"refs/heads/{name}", "object": {"sha": self.refs[name], "type": "commit"}}
            if method == "PATCH":
                self.refs[name] = body["sha"]
                return 200, {"ref": f"refs/heads/{name}", "object": {"sha": body["sha"], "type": "commit"}}
            if method == "DELETE":
                self.refs.pop(name, None)
                return 204, None
        if method == "POST" and rest == "pulls":
            pull = PullRequest(len(self.pulls) + 1, body["title"], body["head"], body["base"], body.get("body", ""))
            self.pulls.append(pull)
            return 201, self.rest_pull(pull)
        match = re.fullmatch(r"(issues|pulls)/(\d+)(/labels)?", rest)
        if match:
            pull = self.pulls[int(match[2]) - 1]
            if match[3] and method == "POST":
                pull.labels = sorted({*pull.labels, *body["labels"]})
                return 200, [{"name": name} for name in pull.labels]
            if method == "PATCH":
                if "labels" in body:
                    pull.labels = sorted(set(body["labels"]))
                pull.state = body.get("state", pull.state)
                pull.title = body.get("title", pull.title)
            return 200, self.rest_pull(pull)
        if method == "GET" and rest.startswith("compare/"):
            base, head = rest[len("compare/"):].split("...")
            before, after = self.head(base).tree, self.head(head).tree
            return 200, {"files": [{"filename": p, "status": "added" if p not in before else "modified"}
                                   for p in sorted(after) if before.get(p) != after[p]]}
        return None

    def rest_pull(self, pull):
        return {"number": pull.number, "node_id": f"PR_{pull.number}", "title": pull.title, "body": pull.body,
                "state": pull.state, "merged": False, "draft": False,
                "html_url": f"https://github.com/{self.owner}/{self.repo}/pull/{pull.number}",
                "head": {"ref": pull.head, "sha": self.refs.get(pull.head)}, "base": {"ref": pull.base},
                "labels": [{"name": name} for name in pull.labels], "user": {"login": self.login, "id": 1}}

    def graphql_pull(self, pull):
        head = self.head(pull.head) if pull.head in self.refs else None
        before = self.head(pull.base).tree
        return {"id": f"PR_{pull.number}", "number": pull.number, "title": pull.title,
                "url": f"https://github.com/{self.owner}/{self.repo}/pull/{pull.number}", "isDraft": False,
                "isCrossRepository": False, "createdAt": "2026-12-03T00:00:00Z", "updatedAt": "2026-12-03T00:00:00Z",
                "headRefName": pull.head, "headRefOid": head.oid if head else None,
                "author": {"login": self.login, "avatarUrl": "", "name": "Editor", "email": "", "databaseId": 1},
                "labels": {"nodes": [{"name": name} for name in pull.labels]},
                "files": {"nodes": [{"path": p, "changeType": "ADDED" if p not in before else "MODIFIED"}
                                    for p in sorted(head.tree if head else {}) if before.get(p) != head.tree[p]]}}

    def graphql(self, operation, variables):
        blobs = re.findall(r'(\w+): object\(oid: "([0-9a-f]+)"\) \{ \.\.\. on Blob', operation)
        if blobs:
            return {"repository": {alias: {"text": self.blobs[sha].decode("utf-8"), "isTruncated": False}
                                   for alias, sha in blobs}}
        commits = re.findall(r'(\w+): object\(oid: "([0-9a-f]+)"\) \{ \.\.\. on Commit', operation)
        if commits:  # the checks on a pull request's head: none have run yet
            return {"repository": {alias: {"status": {"contexts": []}, "deployments": {"nodes": []},
                                           "checkSuites": {"nodes": []}} for alias, _ in commits}}
        histories = re.findall(r'(\w+): ref\(qualifiedName: \$branch\) \{ target \{ \.\.\. on Commit \{ '
                               r'history\(first: 1, path: "([^"]+)"\)', operation)
        if histories:
            author = {"name": "Editor", "email": "editor@clinic.example", "user": {"id": 1, "login": self.login}}
            return {"repository": {alias: {"target": {"history": {"nodes": [
                {"author": author, "committedDate": "2026-12-03T00:00:00Z"}]}}} for alias, _ in histories}}
        if re.search(r"ref\(qualifiedName: \$branch\) \{ target \{ \.\.\. on Commit \{ oid \} \}", operation):
            name = variables.get("branch", self.branch).removeprefix("refs/heads/")
            return {"repository": {"ref": {"target": {"oid": self.refs[name]}} if name in self.refs else None}}
        if "fork: repository(" in operation:  # without a fork, the "fork" is the repository itself
            name = variables.get("branch", self.branch).removeprefix("refs/heads/")
            return {"fork": {"id": "R_repository"},
                    "base": {"ref": {"target": {"oid": self.refs[name]}} if name in self.refs else None}}
        if "createRef(" in operation:
            data = variables["input"]
            name = data["name"].removeprefix("refs/heads/")
            if name in self.refs:
                return None
            self.refs[name] = data["oid"]
            return {"createRef": {"ref": {"name": name}}}
        if "pullRequests(headRefName" in operation:
            count = sum(1 for p in self.pulls if p.head == variables["branch"] and p.state == "open")
            return {"repository": {"pullRequests": {"totalCount": count}}}
        if "pullRequests(" in operation:
            return {"repository": {"pullRequests": {"nodes": [self.graphql_pull(p) for p in self.pulls
                                                              if p.state == "open"]}}}
        if "ref(qualifiedName" in operation and "history(" in operation:
            name = variables.get("branch", self.branch).removeprefix("refs/heads/")
            if name not in self.refs:
                return {"repository": {"ref": None}}
            commit = self.head(name)
            return {"repository": {"ref": {"target": {"history": {"nodes": [
                {"oid": commit.oid, "message": commit.message}]}}}}}
        if "createCommitOnBranch" in operation:
            data = variables["input"]
            name = data["branch"]["branchName"]
            expected = data["expectedHeadOid"]
            if self.refs.get(name) != expected:
                return None
            tree = dict(self.head(name).tree)
            for addition in data.get("fileChanges", {}).get("additions", []):
                tree[addition["path"]] = self.add_blob(base64.b64decode(addition["contents"]))
            for deletion in data.get("fileChanges", {}).get("deletions", []):
                tree.pop(deletion["path"], None)
            commit = self.add_commit(tree, [expected], data["message"]["headline"])
            self.refs[name] = commit.oid
            files = {alias: {"oid": tree.get(path)} for alias, path in re.findall(r'(\w+): file\(path: "([^"]+)"\)',
                                                                                  operation)}
            return {"createCommitOnBranch": {"commit": {"oid": commit.oid, "url": "",
                                                        "committedDate": "2026-12-03T00:00:00Z", **files}}}
        return None
