from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0004_number_articles_and_move_citations"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='statutearticle',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('statute', 'number', 'sub_number'), name='unique_article_number'),
        ),
        migrations.AddConstraint(
            model_name='statutearticle',
            constraint=models.UniqueConstraint(condition=models.Q(('item__isnull', False)), fields=('statute', 'item'), name='unique_article_item'),
        ),
        migrations.AddConstraint(
            model_name='statutearticle',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('item__isnull', True), ('number__isnull', False)), models.Q(('item__isnull', False), ('number__isnull', True), ('sub_number', 0)), _connector='OR'), name='article_number_or_item'),
        ),
    ]
