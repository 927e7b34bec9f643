// SPDX-License-Identifier: GPL-3.0-or-later
// sockscope-lab: the lab runner. Placeholder until the lab lands.
int main() { return 2; }
