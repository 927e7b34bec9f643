// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder until the command line lands.
int main() { return 0; }
