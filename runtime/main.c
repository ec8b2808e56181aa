/* main.c — the kaohe command line.
 *
 * Exit codes: 0 success; 1 problems in the input (diagnostics, rejected
 * data, lint errors); 2 usage; 3 internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static const char usage_zh[] =
    "用法：kaohe <命令> [选项] 文件…\n"
    "\n"
    "命令：\n"
    "  check FILE…     检查规则文件（语法、含义与冲突），有错误时退出码为1\n"
    "  ast FILE        打印语法树\n"
    "  ir FILE         打印中间表示\n"
    "  lint FILE…      检查规则冲突（分值不符、区间空缺、等次缺口……）\n"
    "  score SCHEME --events E.csv --roster R.csv   计算得分、排名和等次\n"
    "  explain SCHEME --events E.csv --roster R.csv --person ID   逐项说明一个人的得分\n"
    "  compile SCHEME -o scheme.so   编译为本机代码\n"
    "\n"
    "选项：\n"
    "  --lang zh|en    提示信息的语言（默认中文）\n"
    "  --help          显示本帮助\n"
    "  --version       显示版本\n"
    "\n"
    "退出码：0 成功；1 输入有问题（规则错误、数据被拒、冲突）；2 用法错误；3 内部错误\n";

static const char usage_en[] =
    "usage: kaohe <command> [options] FILE...\n"
    "\n"
    "commands:\n"
    "  check FILE...   check rule files (syntax, meaning, conflicts); exit 1 on errors\n"
    "  ast FILE        print the syntax tree\n"
    "  ir FILE         print the intermediate representation\n"
    "  lint FILE...    find conflicts (totals, band gaps, unreachable grades, ...)\n"
    "  score SCHEME --events E.csv --roster R.csv   scores, ranks and grades\n"
    "  explain SCHEME --events E.csv --roster R.csv --person ID   explain one total\n"
    "  compile SCHEME -o scheme.so   compile to native code\n"
    "\n"
    "options:\n"
    "  --lang zh|en    language of messages (default Chinese)\n"
    "  --help          show this help\n"
    "  --version       show the version\n"
    "\n"
    "exit codes: 0 ok; 1 bad input (rule errors, rejected data, conflicts); 2 usage; 3 internal error\n";

int main(int argc, char **argv)
{
    kh_cli cli;
    kh_cli_init(&cli);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc && strcmp(argv[i + 1], "en") == 0)
            cli.lang = KH_EN;
    if (argc < 2) {
        fputs(cli.lang == KH_EN ? usage_en : usage_zh, stderr);
        return KH_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(cli.lang == KH_EN ? usage_en : usage_zh, stdout);
        return KH_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("kaohe %s\n", KH_VERSION);
        return KH_EXIT_OK;
    }
    int rc = kh_cli_run(&cli, argc - 1, argv + 1);
    if (rc == KH_EXIT_USAGE)
        fputs(cli.lang == KH_EN ? "run 'kaohe --help' for usage\n" : "运行 kaohe --help 查看用法\n", stderr);
    return rc;
}
