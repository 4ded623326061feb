/* The command line's subcommands other than serving: `init`, `admin …`,
 * `backup`. Each returns the process exit code (0 ok, 1 failure, 2 usage). */
#ifndef ZC_CLI_H
#define ZC_CLI_H

/* zcnode init --data-dir DIR [--host NAME] */
int cli_init(int argc, char **argv);
/* zcnode admin add|reset-password|set-role|list|stats|load-demo --data-dir DIR … */
int cli_admin(int argc, char **argv);
/* zcnode backup --data-dir DIR --output DIR */
int cli_backup(int argc, char **argv);

/* zcnode federation show --data-dir DIR [--config FILE]: what peers pin;
 * rotate-key / finish-rotation: the identity key's rotation. */
int cli_federation(int argc, char **argv);

/* Validity of the federation certificate made by init (peers pin its key;
 * rotate by announcing the next pin first). */
#define FED_CERT_DAYS 1825

#endif
